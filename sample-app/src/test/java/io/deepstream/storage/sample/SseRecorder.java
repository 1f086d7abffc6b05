package io.deepstream.storage.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * A real Server-Sent Events client: reads {@code text/event-stream} line by line over HTTP and records
 * every event and comment, as an {@code EventSource} would see them.
 */
public final class SseRecorder implements AutoCloseable {

	/**
	 * One event.
	 *
	 * @param name the {@code event:} field
	 * @param data the {@code data:} field (lines joined with a newline)
	 */
	public record Event(String name, String data) {

	}

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private volatile @Nullable String contentType;

	private volatile Flow.@Nullable Subscription subscription;

	private @Nullable String name;

	private @Nullable StringBuilder data;

	private SseRecorder() {
	}

	/**
	 * Connects and starts recording.
	 * @param client the HTTP client
	 * @param uri the event stream
	 * @return the recorder
	 */
	public static SseRecorder connect(HttpClient client, URI uri) {
		SseRecorder recorder = new SseRecorder();
		HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
		client.sendAsync(request, (info) -> {
			recorder.contentType = info.headers().firstValue("Content-Type").orElse("");
			return BodySubscribers.fromLineSubscriber(recorder.new Lines(), (subscriber) -> null, StandardCharsets.UTF_8,
					null);
		});
		return recorder;
	}

	public List<Event> events() {
		return this.events;
	}

	public List<String> comments() {
		return this.comments;
	}

	public @Nullable String contentType() {
		return this.contentType;
	}

	/** Closes the connection. */
	@Override
	public void close() {
		Flow.Subscription current = this.subscription;
		if (current != null) {
			current.cancel();
		}
	}

	private void line(String line) {
		if (line.isEmpty()) {
			if (this.data != null) {
				this.events.add(new Event((this.name != null) ? this.name : "message", this.data.toString()));
			}
			this.name = null;
			this.data = null;
			return;
		}
		if (line.startsWith(":")) {
			this.comments.add(line.substring(1).strip());
			return;
		}
		int colon = line.indexOf(':');
		String field = (colon < 0) ? line : line.substring(0, colon);
		String value = (colon < 0) ? "" : line.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		if (field.equals("event")) {
			this.name = value;
		}
		else if (field.equals("data")) {
			this.data = (this.data == null) ? new StringBuilder(value) : this.data.append('\n').append(value);
		}
	}

	private final class Lines implements Flow.Subscriber<String> {

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			SseRecorder.this.subscription = subscription;
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String item) {
			line(item);
		}

		@Override
		public void onError(Throwable throwable) {
		}

		@Override
		public void onComplete() {
		}

	}

}
