/**
 * Testcontainers integration of deepstream's PostgreSQL storage.
 */
@NullMarked
package io.deepstream.storage.autoconfigure.testcontainers;

import org.jspecify.annotations.NullMarked;
