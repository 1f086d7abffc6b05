package io.deepstream.storage.sample.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deepstream.storage.event.NotificationsMissedEvent;
import io.deepstream.storage.event.RecordChangeEvent;
import io.deepstream.storage.event.RecordsNotAnnouncedEvent;
import io.deepstream.storage.event.StorageChangeEvent;
import org.jspecify.annotations.Nullable;

/**
 * The {@code data:} of one Server-Sent Event, as JSON. Absent fields are left out.
 *
 * @param event the kind: {@code CREATE_TABLE}, {@code DESTROY_TABLE}, {@code INSERT}, {@code UPDATE},
 * {@code DELETE}, or {@value #MISSED}
 * @param schema the schema
 * @param table the table (absent for {@value #MISSED}, which concerns the whole schema)
 * @param key the record's id in its table, for record events: the same as {@code id}, kept for the
 * clients that read it
 * @param id the record's id in its table, for record events
 * @param recordName the record name, {@code table/id}, for record events
 * @param from for {@value #MISSED}: since when changes may have been missed
 * @param to for {@value #MISSED}: until when
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeMessage(String event, String schema, @Nullable String table, @Nullable String key,
		@Nullable String id, @Nullable String recordName, @Nullable Instant from, @Nullable Instant to) {

	/** The kind of a {@link NotificationsMissedEvent}: reload, changes may have been lost. */
	public static final String MISSED = "MISSED";

	/**
	 * The kind of a {@link RecordsNotAnnouncedEvent}: a deepstream server was not told about a change
	 * of this record (its clients may keep the old version); one message per record.
	 */
	public static final String NOT_ANNOUNCED = "NOT_ANNOUNCED";

	/**
	 * The message of a change.
	 * @param event the change
	 * @return the message
	 */
	public static ChangeMessage of(StorageChangeEvent event) {
		if (event instanceof RecordChangeEvent record) {
			return new ChangeMessage(event.getKind().name(), event.getSchema(), event.getTable(), record.getId(),
					record.getId(), record.getRecordName(), null, null);
		}
		return new ChangeMessage(event.getKind().name(), event.getSchema(), event.getTable(), null, null, null, null, null);
	}

	/**
	 * The message that changes of a schema may have been missed.
	 * @param schema the schema
	 * @param event the event
	 * @return the message
	 */
	public static ChangeMessage missed(String schema, NotificationsMissedEvent event) {
		return new ChangeMessage(MISSED, schema, null, null, null, null, event.getFrom(), event.getTo());
	}

	/**
	 * The message that a deepstream server was not told about a change of a record.
	 * @param schema the schema of the store
	 * @param recordName the record name as deepstream knows it ({@code table/id})
	 * @return the message; its table and id (and key) are the record name's parts
	 */
	public static ChangeMessage notAnnounced(String schema, String recordName) {
		int slash = recordName.indexOf('/');
		String id = (slash < 0) ? recordName : recordName.substring(slash + 1);
		return new ChangeMessage(NOT_ANNOUNCED, schema, (slash < 0) ? null : recordName.substring(0, slash), id, id,
				recordName, null, null);
	}

}
