/**
 * Spring Boot auto-configuration of deepstream's PostgreSQL storage: {@code deepstream.storage.*}
 * properties, a pool of its own, the record store, the schema initializer and the listener that
 * republishes PostgreSQL notifications as Spring application events.
 */
@NullMarked
package io.deepstream.storage.autoconfigure;

import org.jspecify.annotations.NullMarked;
