/**
 * The change listener: one dedicated connection, outside the pool, that runs
 * {@code LISTEN "<schema>"}, polls for the deepstream notifications on a thread of its own, survives
 * connection loss and tells its subscribers when they may have missed something. Usable with plain
 * {@code new}; no Spring Boot needed.
 */
@NullMarked
package io.deepstream.storage.listen;

import org.jspecify.annotations.NullMarked;
