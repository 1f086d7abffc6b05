/**
 * Web plumbing of the sample: error responses, the server's treatment of encoded slashes, and the
 * start-up hint.
 */
@NullMarked
package io.deepstream.storage.sample.web;

import org.jspecify.annotations.NullMarked;
