package io.deepstream.storage.listen;

import java.time.Instant;
import java.util.Set;

/**
 * Notifications of these schemas may have been lost between two instants, because the listener's
 * connection died (or the listener was stopped) and PostgreSQL does not keep notifications for a
 * session that is gone. Consumers that mirror records should read them again.
 * <p>
 * {@code from} is the last instant at which the old connection was known to be receiving (the start
 * of its last successful round trip or of the poll that last returned notifications); a
 * notification committed shortly before it may still have been in flight, so consumers that resync
 * by time should allow a margin. {@code to} is when the new connection's {@code LISTEN}s were in
 * place: everything committed afterwards is delivered.
 *
 * @param schemas the schemas (channels) that were listened to and are listened to again
 * @param from when the old connection was last known good
 * @param to when the new connection's LISTENs were in place
 */
public record MissedNotifications(Set<String> schemas, Instant from, Instant to) {

	public MissedNotifications {
		schemas = Set.copyOf(schemas);
		if (to.isBefore(from)) {
			throw new IllegalArgumentException("'to' (" + to + ") is before 'from' (" + from + ")");
		}
	}

}
