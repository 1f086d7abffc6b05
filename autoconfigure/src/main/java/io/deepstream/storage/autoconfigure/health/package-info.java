/**
 * Health integration of deepstream's PostgreSQL storage.
 */
@NullMarked
package io.deepstream.storage.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
