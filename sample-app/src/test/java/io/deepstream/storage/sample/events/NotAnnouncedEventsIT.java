package io.deepstream.storage.sample.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import io.deepstream.storage.sample.AbstractSampleIT;
import io.deepstream.storage.sample.Http;
import io.deepstream.storage.sample.SseRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code --deepstream.storage.server.urls} naming a deepstream server that cannot be reached, a
 * write is still answered 204 at commit, and once its name is given up on, {@code GET /events}
 * streams it as {@code NOT_ANNOUNCED}.
 */
@TestPropertySource(properties = { "deepstream.storage.server.give-up-after=300ms",
		"deepstream.storage.server.retry-initial-backoff=50ms", "deepstream.storage.server.retry-max-backoff=100ms",
		"deepstream.storage.server.close-timeout=1s" })
class NotAnnouncedEventsIT extends AbstractSampleIT {

	@DynamicPropertySource
	static void unreachableServer(DynamicPropertyRegistry registry) {
		registry.add("deepstream.storage.server.urls", () -> "http://127.0.0.1:" + unusedPort() + "/api");
	}

	private static int unusedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void aWriteTheServerCouldNotBeToldAboutIsStreamedAsNotAnnounced() {
		Http http = new Http(this.port);
		try (SseRecorder events = SseRecorder.connect(http.client(), http.uri("/events"))) {
			await().atMost(Duration.ofSeconds(20)).until(() -> events.comments().contains(ChangeStream.CONNECTED_COMMENT));
			assertThat(http.put("/records/cars/bmw", "{\"color\":\"red\"}").statusCode()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> events.events().stream().anyMatch((event) -> event.name().equals(ChangeMessage.NOT_ANNOUNCED)));
			SseRecorder.Event event = events.events().stream()
				.filter((candidate) -> candidate.name().equals(ChangeMessage.NOT_ANNOUNCED))
				.findFirst()
				.orElseThrow();
			JsonNode data = JsonMapper.builder().build().readTree(event.data());
			assertThat(data.get("event").asString()).isEqualTo("NOT_ANNOUNCED");
			assertThat(data.get("schema").asString()).isEqualTo(this.schema);
			assertThat(data.get("table").asString()).isEqualTo("cars");
			assertThat(data.get("key").asString()).isEqualTo("bmw");
			assertThat(data.get("id").asString()).isEqualTo("bmw");
			assertThat(data.get("recordName").asString()).isEqualTo("cars/bmw");
		}
	}

}
