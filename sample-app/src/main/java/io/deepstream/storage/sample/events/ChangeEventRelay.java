package io.deepstream.storage.sample.events;

import io.deepstream.storage.event.NotificationsMissedEvent;
import io.deepstream.storage.event.RecordsNotAnnouncedEvent;
import io.deepstream.storage.event.StorageChangeEvent;
import io.deepstream.storage.store.PostgresRecordStore;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hands every storage change, and every warning that changes were missed, to the
 * {@link ChangeStream}. Runs on the notification listener's thread, which the stream never blocks.
 */
@Component
public class ChangeEventRelay {

	private final ChangeStream stream;

	private final String schema;

	public ChangeEventRelay(ChangeStream stream, PostgresRecordStore store) {
		this.stream = stream;
		this.schema = store.options().schema();
	}

	@EventListener
	void onChange(StorageChangeEvent event) {
		this.stream.publish(ChangeMessage.of(event));
	}

	@EventListener
	void onNotAnnounced(RecordsNotAnnouncedEvent event) {
		for (String name : event.getRecordNames()) {
			this.stream.publish(ChangeMessage.notAnnounced(this.schema, name));
		}
	}

	@EventListener
	void onMissed(NotificationsMissedEvent event) {
		for (String schema : event.getSchemas()) {
			this.stream.publish(ChangeMessage.missed(schema, event));
		}
	}

}
