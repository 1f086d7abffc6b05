/**
 * Spring application events for the deepstream notifications: one type per kind of change under
 * {@link io.deepstream.storage.event.StorageChangeEvent}, a separate
 * {@link io.deepstream.storage.event.NotificationsMissedEvent} after a reconnect, and the bridge that
 * publishes them from a {@link io.deepstream.storage.listen.NotificationListener}.
 */
@NullMarked
package io.deepstream.storage.event;

import org.jspecify.annotations.NullMarked;
