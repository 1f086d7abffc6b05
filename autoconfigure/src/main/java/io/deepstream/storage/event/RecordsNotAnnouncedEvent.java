package io.deepstream.storage.event;

import java.net.URI;
import java.util.List;

import io.deepstream.storage.announce.FailureKind;
import io.deepstream.storage.announce.NamesGivenUp;
import org.springframework.context.ApplicationEvent;

/**
 * Records whose changes could not be announced to a deepstream server, for good: its cache and its
 * subscribed clients may keep their old versions until they read them again. Published on the
 * announcer's thread. An application may resynchronise them, for instance with
 * {@code ServerAnnouncer.announce(event.getRecordNames())} once the server is back.
 */
public class RecordsNotAnnouncedEvent extends ApplicationEvent {

	private final NamesGivenUp givenUp;

	public RecordsNotAnnouncedEvent(Object source, NamesGivenUp givenUp) {
		super(source);
		this.givenUp = givenUp;
	}

	/** @return the deepstream HTTP endpoint that was not told */
	public URI getUrl() {
		return this.givenUp.url();
	}

	/** @return the record names */
	public List<String> getRecordNames() {
		return this.givenUp.names();
	}

	/** @return why they were given up on */
	public FailureKind getKind() {
		return this.givenUp.kind();
	}

	/** @return what the server said, or what went wrong */
	public String getDetail() {
		return this.givenUp.detail();
	}

	@Override
	public String toString() {
		return "RecordsNotAnnouncedEvent[" + this.givenUp.names().size() + " names to " + this.givenUp.url() + ": "
				+ this.givenUp.kind() + "]";
	}

}
