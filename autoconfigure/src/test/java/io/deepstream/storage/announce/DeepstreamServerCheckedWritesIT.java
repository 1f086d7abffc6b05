package io.deepstream.storage.announce;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.InvalidRecordException;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.store.RecordWriteException;
import io.deepstream.storage.store.StoredRecord;
import io.deepstream.storage.store.TransientRecordWriteException;
import io.deepstream.storage.store.VersionConflictException;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Conditional writes checked by a real deepstream server 7.0.2 ({@link ServerCheckedWrites}): the
 * server's version rule, its conflicts with the record as it has it, PostgreSQL holding the write once
 * it is acknowledged, subscribers hearing it, and every failure reported.
 */
@ExtendWith(TestSchema.class)
class DeepstreamServerCheckedWritesIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static TestSchema.Name schema;

	private static HikariDataSource dataSource;

	private static DeepstreamServer server;

	private static PostgresRecordStore store;

	@BeforeAll
	static void start(TestSchema.Name name) {
		schema = name;
		dataSource = TestDatabase.get().newDataSource(2);
		server = DeepstreamServer.start(name.value());
		store = storeCheckedBy(new ServerCheckedWrites(AnnouncerOptions.builder(server.apiUrl()).build(), MAPPER));
	}

	@AfterAll
	static void stop() {
		store.close();
		server.close();
		dataSource.close();
	}

	private static PostgresRecordStore storeCheckedBy(ServerCheckedWrites checker) {
		RecordStoreOptions options = RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20)).build();
		PostgresRecordStore created = new PostgresRecordStore(dataSource, MAPPER, options);
		created.setConditionalWrites(checker);
		created.start();
		return created;
	}

	@Test
	void aWriteOnTheServersVersionIsStoredAndHeardAndAStaleOneConflictsWithTheServersRecord() {
		try (DeepstreamTestClient client = new DeepstreamTestClient(server)) {
			client.subscribe("checked/a");
			client.set("checked/a", Map.of("by", "client"));

			store.compareAndSet("checked/a", 1, 2, Map.of("by", "store")).join();

			StoredRecord stored = store.get("checked/a");
			assertThat(stored.version()).as("stored once acknowledged").isEqualTo(2);
			assertThat(stored.value().get("by").asString()).isEqualTo("store");
			assertThat(client.head("checked/a")).isEqualTo(2);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.events())
				.filteredOn((event) -> "checked/a".equals(event.path("name").asString()))
				.last()
				.satisfies((event) -> assertThat(event.get("version").asInt()).isEqualTo(2)));

			CompletableFuture<Void> stale = store.compareAndSet("checked/a", 1, 2, Map.of("by", "stale"));
			assertThat(stale).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
				.isInstanceOfSatisfying(VersionConflictException.class, (conflict) -> {
					assertThat(conflict.getExpectedVersion()).isEqualTo(1);
					assertThat(conflict.getCurrent().version()).isEqualTo(2);
					assertThat(conflict.getCurrent().value().get("by").asString()).isEqualTo("store");
				});
			assertThat(store.get("checked/a").value().get("by").asString()).isEqualTo("store");
		}
	}

	@Test
	void aRecordThatDoesNotExistIsVersionZeroToTheServer() {
		store.compareAndSet("checked/new", -1, 1, Map.of("n", 1)).join();
		assertThat(store.get("checked/new").version()).isEqualTo(1);

		assertThat(store.compareAndSet("checked/new", -1, 1, Map.of("n", 2))).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat().havingCause().isInstanceOfSatisfying(VersionConflictException.class,
					(conflict) -> assertThat(conflict.getCurrent().version()).isEqualTo(1));
		StoredRecord updated = store.update("checked/created-by-update", DeepstreamServerCheckedWritesIT::increment).join();
		assertThat(updated.version()).as("the server's first version").isEqualTo(1);
		assertThat(store.get("checked/created-by-update").value().get("n").asInt()).isEqualTo(1);
	}

	@Test
	void aVersionTheServerWouldNotAcceptIsRefusedBeforeAnythingIsSent() {
		assertThatThrownBy(() -> store.compareAndSet("checked/rule", 3, 5, Map.of("n", 1)))
			.isInstanceOf(InvalidRecordException.class)
			.hasMessageContaining("accepts only version 4 on top of version 3");
		assertThatThrownBy(() -> store.compareAndSet("checked/rule", -1, 0, Map.of("n", 1)))
			.isInstanceOf(InvalidRecordException.class)
			.hasMessageContaining("accepts only version 1");
		assertThat(store.get("checked/rule").exists()).isFalse();
	}

	@Test
	void updateFollowsWritesOfDeepstreamClients() {
		try (DeepstreamTestClient client = new DeepstreamTestClient(server)) {
			client.subscribe("checked/counter");
			client.set("checked/counter", Map.of("n", 10));
			StoredRecord updated = store.update("checked/counter", DeepstreamServerCheckedWritesIT::increment).join();
			assertThat(updated.version()).isEqualTo(2);
			assertThat(updated.value().get("n").asInt()).isEqualTo(11);
			assertThat(client.set("checked/counter", Map.of("n", 12))).as("the client's next write lands on top").isEqualTo(3);
		}
	}

	@Test
	void aServerThatIsDownOrIsNotTheApiOrRefusesTheCredentialsIsReported() {
		try (DeepstreamServer stopped = DeepstreamServer.start(schema.value());
				DeepstreamServer guarded = DeepstreamServer.start(schema.value(), "s3cret")) {
			stopped.stop();
			PostgresRecordStore down = storeCheckedBy(new ServerCheckedWrites(AnnouncerOptions.builder(stopped.apiUrl()).build(), MAPPER));
			PostgresRecordStore wrongPath = storeCheckedBy(new ServerCheckedWrites(
					AnnouncerOptions.builder(server.apiUrl().replace("/api", "/not-the-api")).build(), MAPPER));
			PostgresRecordStore wrongPassword = storeCheckedBy(new ServerCheckedWrites(AnnouncerOptions.builder(guarded.apiUrl())
				.authData(Map.of("username", "announcer", "password", "wrong")).build(), MAPPER));
			PostgresRecordStore rightPassword = storeCheckedBy(new ServerCheckedWrites(AnnouncerOptions.builder(guarded.apiUrl())
				.authData(Map.of("username", "announcer", "password", "s3cret")).build(), MAPPER));
			try {
				assertThat(down.compareAndSet("checked/down", -1, 1, Map.of("n", 1))).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat().havingCause().isInstanceOf(TransientRecordWriteException.class)
					.withMessageContaining("unreachable");
				assertThat(wrongPath.compareAndSet("checked/path", -1, 1, Map.of("n", 1))).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat().havingCause().isInstanceOf(RecordWriteException.class)
					.withMessageContaining("NOT_DEEPSTREAM_API");
				assertThat(wrongPassword.compareAndSet("checked/auth", -1, 1, Map.of("n", 1))).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat().havingCause().isInstanceOf(RecordWriteException.class)
					.withMessageContaining("AUTHENTICATION");
				rightPassword.compareAndSet("checked/auth", -1, 1, Map.of("n", 1)).join();
				assertThat(store.get("checked/auth").version()).isEqualTo(1);
				for (String name : new String[] { "checked/down", "checked/path" }) {
					assertThat(store.get(name).exists()).as(name).isFalse();
				}
			}
			finally {
				down.close();
				wrongPath.close();
				wrongPassword.close();
				rightPassword.close();
			}
		}
	}

	private static Map<String, Integer> increment(@org.jspecify.annotations.Nullable JsonNode value) {
		JsonNode n = (value != null) ? value.get("n") : null;
		return Map.of("n", ((n != null) ? n.asInt() : 0) + 1);
	}

}
