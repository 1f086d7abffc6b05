/**
 * Announcing this store's writes to running deepstream servers: after a batch commits, the names of
 * its records go to every configured server's HTTP API as one record {@code notify}, so that the
 * server drops them from its cache and pushes the stored version to subscribed clients.
 */
@NullMarked
package io.deepstream.storage.announce;

import org.jspecify.annotations.NullMarked;
