/**
 * The record store: deepstream records in PostgreSQL tables, written behind in batches that are
 * acknowledged only after commit.
 */
@NullMarked
package io.deepstream.storage.store;

import org.jspecify.annotations.NullMarked;
