package io.deepstream.storage.sample.events;

import java.time.Duration;
import java.time.Instant;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.sample.AbstractSampleIT;
import io.deepstream.storage.sample.Http;
import io.deepstream.storage.sample.SseRecorder;
import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /events} read by a real event-stream client over HTTP: the events of writes through the
 * API, of a raw SQL write from another connection, and the missed-notifications event after the
 * listener's connection is killed.
 */
class ChangeEventsIT extends AbstractSampleIT {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private NotificationListener listener;

	private Http http;

	private SseRecorder events;

	@BeforeEach
	void connect() {
		this.http = new Http(this.port);
		this.events = SseRecorder.connect(this.http.client(), this.http.uri("/events"));
		// from the first comment on, the stream receives every change
		await().atMost(WAIT).until(() -> this.events.comments().contains(ChangeStream.CONNECTED_COMMENT));
		assertThat(this.events.contentType()).startsWith("text/event-stream");
	}

	@AfterEach
	void disconnect() {
		this.events.close();
	}

	@Test
	void aPutIsStreamedAsCreateTableAndInsert() {
		assertThat(this.http.put("/records/cars/bmw", "{\"color\":\"blue\"}").statusCode()).isEqualTo(204);

		await().atMost(WAIT).until(() -> this.events.events().size() >= 2);
		assertThat(this.events.events()).extracting(SseRecorder.Event::name).containsExactly("CREATE_TABLE", "INSERT");
		assertData(0, "CREATE_TABLE", "cars", null);
		assertData(1, "INSERT", "cars", "bmw");
	}

	@Test
	void updatesDeletesAndTheDroppedTableAreStreamed() {
		String id = "\u00fcber/a:b \"q\"";
		String path = "/records/gone/" + Http.encode(id);
		this.http.put(path, "1");
		this.http.put(path + "?version=2", "2");
		this.http.delete(path);

		await().atMost(WAIT).until(() -> this.events.events().size() >= 5);
		assertThat(this.events.events()).extracting(SseRecorder.Event::name)
			.containsExactly("CREATE_TABLE", "INSERT", "UPDATE", "DELETE", "DESTROY_TABLE");
		assertData(1, "INSERT", "gone", id);
		assertData(2, "UPDATE", "gone", id);
		assertData(3, "DELETE", "gone", id);
		assertData(4, "DESTROY_TABLE", "gone", null);
	}

	@Test
	void aRawSqlWriteFromAnotherConnectionIsStreamed() {
		this.http.put("/records/raw/first", "{}");
		await().atMost(WAIT).until(() -> this.events.events().size() >= 2);

		TestDatabase.get().execute("INSERT INTO " + Identifiers.qualify(this.schema, "raw") + " (id, version, val) VALUES (?, 1, '{}')",
				"from psql: 'it''s'");

		await().atMost(WAIT).until(() -> this.events.events().size() >= 3);
		assertData(2, "INSERT", "raw", "from psql: 'it''s'");
		assertThat(this.http.get("/records/raw/" + Http.encode("from psql: 'it''s'")).statusCode()).isEqualTo(200);
	}

	@Test
	void aLostListenerConnectionIsStreamedAsMissed() {
		Instant before = Instant.now();
		Integer backend = this.listener.state().backendPid();
		assertThat(backend).isNotNull();
		TestDatabase.get().execute("SELECT pg_terminate_backend(?)", backend);

		SseRecorder.Event missedEvent = await().atMost(WAIT).until(() -> this.events.events().stream()
			.filter((candidate) -> candidate.name().equals("MISSED"))
			.findFirst()
			.orElse(null), (found) -> found != null);
		JsonNode missed = json.readTree(missedEvent.data());
		assertThat(missed.get("event").asString()).isEqualTo("MISSED");
		assertThat(missed.get("schema").asString()).isEqualTo(this.schema);
		assertThat(Instant.parse(missed.get("to").asString())).isAfterOrEqualTo(Instant.parse(missed.get("from").asString()));
		assertThat(Instant.parse(missed.get("to").asString())).isAfter(before);

		// and changes flow again: exactly the events of this write follow the gap
		int afterMissed = this.events.events().indexOf(missedEvent) + 1;
		this.http.put("/records/again/x", "{}");
		await().atMost(WAIT).until(() -> this.events.events().size() >= afterMissed + 2);
		assertThat(this.events.events().subList(afterMissed, this.events.events().size()))
			.extracting(SseRecorder.Event::name)
			.containsExactly("CREATE_TABLE", "INSERT");
		assertData(afterMissed, "CREATE_TABLE", "again", null);
		assertData(afterMissed + 1, "INSERT", "again", "x");
	}

	private void assertData(int index, String event, String table, String id) {
		JsonNode data = json.readTree(this.events.events().get(index).data());
		assertThat(data.get("event").asString()).isEqualTo(event);
		assertThat(data.get("schema").asString()).isEqualTo(this.schema);
		assertThat(data.get("table").asString()).isEqualTo(table);
		if (id != null) {
			assertThat(data.get("key").asString()).isEqualTo(id);
			assertThat(data.get("id").asString()).isEqualTo(id);
			assertThat(data.get("recordName").asString()).isEqualTo(table + "/" + id);
		}
		else {
			assertThat(data.has("key")).isFalse();
			assertThat(data.has("id")).isFalse();
			assertThat(data.has("recordName")).isFalse();
		}
	}

}
