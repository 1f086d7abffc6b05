/**
 * Changes of the schema as Server-Sent Events: the application event listener, the fan-out to the
 * connected clients and the endpoint they connect to.
 */
@NullMarked
package io.deepstream.storage.sample.events;

import org.jspecify.annotations.NullMarked;
