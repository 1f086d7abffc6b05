package io.deepstream.storage.sample.events;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /events}: the changes of the schema as Server-Sent Events, {@code event:} the kind and
 * {@code data:} a {@link ChangeMessage}. A new connection first gets the comment
 * {@value ChangeStream#CONNECTED_COMMENT}; from then on it receives every change.
 */
@RestController
public class EventsController {

	private final ChangeStream stream;

	public EventsController(ChangeStream stream) {
		this.stream = stream;
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events() {
		return this.stream.connect();
	}

}
