/**
 * The database objects of the deepstream format: the schema, the reference's functions, our own
 * quote-safe trigger function, and the per-table DDL.
 */
@NullMarked
package io.deepstream.storage.schema;

import org.jspecify.annotations.NullMarked;
