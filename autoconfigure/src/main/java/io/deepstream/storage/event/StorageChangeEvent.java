package io.deepstream.storage.event;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.listen.Notification;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEvent;

/**
 * A change in the deepstream tables of a schema, whoever made it (this process, another one, the
 * deepstream server, {@code psql}). Listen to this type for every change, or to a subtype for one
 * kind; the bean-style getters make conditions such as
 * {@code @EventListener(condition = "#event.table == 'cars'")} work.
 * <p>
 * Published on the listener thread, in the order PostgreSQL delivered the notifications.
 */
public abstract class StorageChangeEvent extends ApplicationEvent {

	private final String schema;

	private final String table;

	/**
	 * Creates an event.
	 * @param source the object that published it (the listener)
	 * @param schema the schema
	 * @param table the table
	 */
	protected StorageChangeEvent(Object source, String schema, String table) {
		super(source);
		this.schema = schema;
		this.table = table;
	}

	/**
	 * The event of the matching type for a notification.
	 * @param source the object that publishes it
	 * @param notification the notification
	 * @return a {@link TableCreatedEvent}, {@link TableDestroyedEvent}, {@link RecordInsertedEvent},
	 * {@link RecordUpdatedEvent} or {@link RecordDeletedEvent}
	 */
	public static StorageChangeEvent of(Object source, Notification notification) {
		String schema = notification.schema();
		String table = notification.table();
		String id = notification.id();
		return switch (notification.kind()) {
			case CREATE_TABLE -> new TableCreatedEvent(source, schema, table);
			case DESTROY_TABLE -> new TableDestroyedEvent(source, schema, table);
			case INSERT -> new RecordInsertedEvent(source, schema, table, requireId(id, notification));
			case UPDATE -> new RecordUpdatedEvent(source, schema, table, requireId(id, notification));
			case DELETE -> new RecordDeletedEvent(source, schema, table, requireId(id, notification));
		};
	}

	private static String requireId(@Nullable String id, Notification notification) {
		if (id == null) {
			throw new IllegalArgumentException("Record notification without id: " + notification);
		}
		return id;
	}

	/**
	 * The schema whose table changed (the notification's channel).
	 * @return the schema
	 */
	public String getSchema() {
		return this.schema;
	}

	/**
	 * The table that changed, or whose record changed.
	 * @return the table
	 */
	public String getTable() {
		return this.table;
	}

	/**
	 * The kind of change.
	 * @return the kind
	 */
	public abstract ChangeKind getKind();

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[schema=" + this.schema + ", table=" + this.table + "]";
	}

}
