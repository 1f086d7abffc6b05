package io.deepstream.storage.event;

import io.deepstream.storage.announce.NamesGivenUp;
import io.deepstream.storage.announce.ServerAnnouncer;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes every batch of names a {@link ServerAnnouncer} gave up on as a
 * {@link RecordsNotAnnouncedEvent}, so that the application can resynchronise them.
 */
public class AnnouncementEventBridge {

	private final ApplicationEventPublisher publisher;

	public AnnouncementEventBridge(ApplicationEventPublisher publisher, ServerAnnouncer announcer) {
		this.publisher = publisher;
		announcer.addListener(this::publish);
	}

	private void publish(NamesGivenUp givenUp) {
		this.publisher.publishEvent(new RecordsNotAnnouncedEvent(this, givenUp));
	}

}
