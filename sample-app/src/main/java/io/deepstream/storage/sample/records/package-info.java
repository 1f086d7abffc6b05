/**
 * The HTTP API of the records: read, write and delete one record, list a table, and the schema
 * overview.
 */
@NullMarked
package io.deepstream.storage.sample.records;

import org.jspecify.annotations.NullMarked;
