/**
 * The benchmark of the record store and the change listener: write throughput, sequential read rate,
 * notification latency and memory, on a fixed workload against a real PostgreSQL, plus the
 * server-side ceiling of the same inserts.
 */
@NullMarked
package io.deepstream.storage.benchmark;

import org.jspecify.annotations.NullMarked;
