package io.deepstream.storage.sample.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import io.deepstream.storage.sample.Http;
import io.deepstream.storage.sample.SampleDatabase;
import io.deepstream.storage.sample.SseRecorder;
import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code --deepstream.storage.server.urls} naming a deepstream server that cannot be reached, a
 * write is still answered 204 at commit, and once its name is given up on, {@code GET /events}
 * streams it as {@code NOT_ANNOUNCED}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "deepstream.storage.server.give-up-after=300ms", "deepstream.storage.server.retry-initial-backoff=50ms",
				"deepstream.storage.server.retry-max-backoff=100ms", "deepstream.storage.server.close-timeout=1s" })
@DirtiesContext
class NotAnnouncedEventsIT {

	private static final String SCHEMA = TestDatabase.uniqueSchemaName("NotAnnouncedEventsIT");

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		SampleDatabase.register(registry, SCHEMA);
		registry.add("deepstream.storage.server.urls", () -> "http://127.0.0.1:" + unusedPort() + "/api");
	}

	@AfterAll
	static void dropSchema() {
		TestDatabase.get().dropSchema(SCHEMA);
	}

	private static int unusedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@LocalServerPort
	private int port;

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
			assertThat(data.get("schema").asString()).isEqualTo(SCHEMA);
			assertThat(data.get("table").asString()).isEqualTo("cars");
			assertThat(data.get("key").asString()).isEqualTo("bmw");
		}
	}

}
