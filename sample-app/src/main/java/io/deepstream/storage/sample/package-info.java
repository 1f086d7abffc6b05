/**
 * The deepstream record browser, a sample application of the starter.
 */
@NullMarked
package io.deepstream.storage.sample;

import org.jspecify.annotations.NullMarked;
