package io.deepstream.storage.listen;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the listener's state, for health indicators, metrics and tests.
 *
 * @param running whether the listener is started (it may still be connecting)
 * @param connected whether it has a connection with its LISTENs in place
 * @param channels the channels (schemas) LISTENed on the current connection
 * @param lastNotification when the last notification arrived, or null if none has
 * @param notificationsReceived notifications received since creation, whatever their payload or kind
 * @param unparseable received payloads that were not in the deepstream format
 * @param reconnects connections re-established after a connection was lost
 * @param connectedSince when the current connection was established, or null when not connected
 * @param backendPid PostgreSQL's process id of the current connection ({@code pg_backend_pid()}), or
 * null when not connected
 */
public record ListenerState(boolean running, boolean connected, Set<String> channels, @Nullable Instant lastNotification,
		long notificationsReceived, long unparseable, long reconnects, @Nullable Instant connectedSince,
		@Nullable Integer backendPid) {

	public ListenerState {
		channels = Set.copyOf(channels);
	}

}
