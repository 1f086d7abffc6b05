package io.deepstream.storage.event;

import java.time.Instant;
import java.util.Set;

import io.deepstream.storage.listen.MissedNotifications;
import org.springframework.context.ApplicationEvent;

/**
 * Change events of these schemas may have been lost between two instants, because the listener's
 * connection was lost (or the listener was stopped and started again). Consumers that mirror records
 * should read them again. Not a {@link StorageChangeEvent}: listeners of every change do not receive
 * it by accident.
 * <p>
 * Published on the listener thread, after the connection is back and before any change event of the
 * new connection.
 */
public class NotificationsMissedEvent extends ApplicationEvent {

	private final MissedNotifications missed;

	/**
	 * Creates an event.
	 * @param source the object that published it (the listener)
	 * @param missed the schemas and the interval
	 */
	public NotificationsMissedEvent(Object source, MissedNotifications missed) {
		super(source);
		this.missed = missed;
	}

	/**
	 * The schemas whose notifications may have been lost.
	 * @return the schemas
	 */
	public Set<String> getSchemas() {
		return this.missed.schemas();
	}

	/**
	 * When the old connection was last known to be receiving; see {@link MissedNotifications}.
	 * @return the start of the interval
	 */
	public Instant getFrom() {
		return this.missed.from();
	}

	/**
	 * When the new connection's LISTENs were in place.
	 * @return the end of the interval
	 */
	public Instant getTo() {
		return this.missed.to();
	}

	@Override
	public String toString() {
		return "NotificationsMissedEvent[schemas=" + getSchemas() + ", from=" + getFrom() + ", to=" + getTo() + "]";
	}

}
