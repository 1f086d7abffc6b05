package io.deepstream.storage.sample.events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.deepstream.storage.event.NotificationsMissedEvent;
import io.deepstream.storage.event.RecordInsertedEvent;
import io.deepstream.storage.event.TableCreatedEvent;
import io.deepstream.storage.listen.MissedNotifications;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out without a server: the wire text of each event, a client that stops reading is dropped
 * while publishing goes on undisturbed, a client that went away is removed, and stopping ends every
 * stream.
 */
class ChangeStreamTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int CAPACITY = 4;

	private final ChangeStream stream = new ChangeStream(JsonMapper.builder().build(),
			new ChangeStreamProperties(CAPACITY, 2, 3, Duration.ofMinutes(1), Duration.ofMinutes(1)));

	@BeforeEach
	void start() {
		this.stream.start();
	}

	@AfterEach
	void stop() {
		this.stream.stop();
	}

	@Test
	void writesEachChangeAsANamedEventWithJsonData() {
		RecordingEmitter client = new RecordingEmitter(null);
		this.stream.register(client);
		this.stream.publish(ChangeMessage.of(new TableCreatedEvent(this, "ds", "cars")));
		this.stream.publish(ChangeMessage.of(new RecordInsertedEvent(this, "ds", "cars", "\u00fcber/a:b \"x\"")));
		this.stream.publish(ChangeMessage.missed("ds", new NotificationsMissedEvent(this,
				new MissedNotifications(Set.of("ds"), Instant.parse("2026-01-02T03:04:05Z"), Instant.parse("2026-01-02T03:04:06.5Z")))));
		await().atMost(WAIT).untilAsserted(() -> assertThat(client.frames).containsExactly(":connected\n\n",
				"event:CREATE_TABLE\ndata:{\"event\":\"CREATE_TABLE\",\"schema\":\"ds\",\"table\":\"cars\"}\n\n",
				"event:INSERT\ndata:{\"event\":\"INSERT\",\"schema\":\"ds\",\"table\":\"cars\",\"key\":\"\u00fcber/a:b \\\"x\\\"\","
						+ "\"id\":\"\u00fcber/a:b \\\"x\\\"\",\"recordName\":\"cars/\u00fcber/a:b \\\"x\\\"\"}\n\n",
				"event:MISSED\ndata:{\"event\":\"MISSED\",\"schema\":\"ds\",\"from\":\"2026-01-02T03:04:05Z\",\"to\":\"2026-01-02T03:04:06.500Z\"}\n\n"));
	}

	@Test
	void aClientThatStopsReadingIsDroppedWithoutHoldingUpPublishingOrTheOthers() {
		CountDownLatch unblock = new CountDownLatch(1);
		RecordingEmitter stuck = new RecordingEmitter(unblock);
		RecordingEmitter healthy = new RecordingEmitter(null);
		this.stream.register(stuck);
		this.stream.register(healthy);
		await().atMost(WAIT).until(() -> stuck.writesStarted == 1);

		// The stuck client's queue fills up, and one more event is one too many.
		for (int i = 0; i <= CAPACITY; i++) {
			String key = "k" + i;
			assertTimeoutPreemptively(Duration.ofSeconds(1), () -> this.stream.publish(insert(key)));
			await().atMost(WAIT).until(() -> healthy.keys().contains(key));
		}
		assertThat(this.stream.clientCount()).isEqualTo(1);
		assertThat(healthy.keys()).containsExactlyElementsOf(IntStream.rangeClosed(0, CAPACITY).mapToObj((i) -> "k" + i).toList());
		assertThat(stuck.completed).isFalse();

		// Once its write returns, the dropped client's stream is ended, with nothing more sent.
		unblock.countDown();
		await().atMost(WAIT).until(() -> stuck.completed);
		assertThat(stuck.frames).containsExactly(":connected\n\n");
	}

	@Test
	void aClientThatWentAwayIsRemoved() {
		RecordingEmitter gone = new RecordingEmitter(null);
		gone.failing = true;
		this.stream.register(gone);
		await().atMost(WAIT).until(() -> this.stream.clientCount() == 0);
		this.stream.publish(insert("after"));
		assertThat(gone.frames).isEmpty();
	}

	@Test
	void refusesClientsBeyondTheLimit() {
		for (int i = 0; i < 3; i++) {
			this.stream.connect();
		}
		assertThatExceptionOfType(ResponseStatusException.class).isThrownBy(this.stream::connect)
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
	}

	@Test
	void stoppingEndsEveryStreamAndRefusesNewOnes() {
		RecordingEmitter client = new RecordingEmitter(null);
		this.stream.register(client);
		this.stream.stop();
		assertThat(client.completed).isTrue();
		assertThat(this.stream.isRunning()).isFalse();
		assertThatExceptionOfType(ResponseStatusException.class).isThrownBy(this.stream::connect);
	}

	private static ChangeMessage insert(String id) {
		return ChangeMessage.of(new RecordInsertedEvent(ChangeStreamTests.class, "ds", "t", id));
	}

	/** An emitter that records what would go over the wire, and can block or fail its writes. */
	static final class RecordingEmitter extends SseEmitter {

		final List<String> frames = new CopyOnWriteArrayList<>();

		private final @Nullable CountDownLatch unblock;

		volatile int writesStarted;

		volatile boolean failing;

		volatile boolean completed;

		RecordingEmitter(@Nullable CountDownLatch unblock) {
			this.unblock = unblock;
		}

		@Override
		public void send(Set<DataWithMediaType> items) throws IOException {
			this.writesStarted++;
			if (this.failing) {
				throw new IOException("Broken pipe");
			}
			if (this.unblock != null) {
				try {
					this.unblock.await(1, TimeUnit.MINUTES);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.frames.add(items.stream().map((item) -> item.getData().toString()).collect(Collectors.joining()));
		}

		@Override
		public void complete() {
			this.completed = true;
			super.complete();
		}

		List<String> keys() {
			return this.frames.stream()
				.filter((frame) -> frame.startsWith("event:INSERT"))
				.map((frame) -> frame.replaceAll("(?s).*\"key\":\"([^\"]*)\".*", "$1"))
				.toList();
		}

	}

}
