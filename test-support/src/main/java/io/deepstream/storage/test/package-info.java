/**
 * Test support: a real PostgreSQL for every test, and a schema of its own for every test class.
 */
@NullMarked
package io.deepstream.storage.test;

import org.jspecify.annotations.NullMarked;
