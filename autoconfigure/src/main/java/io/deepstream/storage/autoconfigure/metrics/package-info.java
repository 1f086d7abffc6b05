/**
 * Metrics integration of deepstream's PostgreSQL storage.
 */
@NullMarked
package io.deepstream.storage.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
