/**
 * Test support: a real PostgreSQL for every test, a schema of its own for every test class, and a
 * throwaway cluster for tests that restart, crash or freeze the server.
 */
@NullMarked
package io.deepstream.storage.test;

import org.jspecify.annotations.NullMarked;
