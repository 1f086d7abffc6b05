package io.deepstream.storage.announce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.store.StoredRecord;
import io.deepstream.storage.store.VersionConflictException;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Racing increments of one counter against a real deepstream server.
 * <ul>
 * <li>Two stores with pools of their own, each announcing, increment through their conditional path
 * ({@code update}, checked by PostgreSQL) while a deepstream client holds the record: no increment is
 * lost, no version is written twice, and the client ends on the last version.</li>
 * <li>Two stores whose conditional writes the server checks ({@link ServerCheckedWrites}) and a
 * deepstream client writing through its own versioned write all increment it: the server is then the
 * one authority, and again no increment is lost.</li>
 * </ul>
 * A deepstream client's writes are checked by the server against its cache, not by PostgreSQL, so
 * with PostgreSQL checking ours a client write based on the version before our commit could be
 * accepted before the server hears of our commit, and stored over it (see the README, "Next to a
 * deepstream server"): hence the two modes.
 */
@ExtendWith(TestSchema.class)
class DeepstreamServerRaceIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final int INCREMENTS = 500;

	private static final String NAME = "race/counter";

	@Test
	@Timeout(240)
	void twoStoresIncrementingOneCounterHeldByAClientLoseNoIncrement(TestSchema.Name schema) {
		RecordStoreOptions options = RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20)).build();
		try (DeepstreamServer server = DeepstreamServer.start(schema.value());
				HikariDataSource firstPool = TestDatabase.get().newDataSource(2);
				HikariDataSource secondPool = TestDatabase.get().newDataSource(2);
				ServerAnnouncer firstAnnouncer = new ServerAnnouncer(AnnouncerOptions.builder(server.apiUrl()).build());
				ServerAnnouncer secondAnnouncer = new ServerAnnouncer(AnnouncerOptions.builder(server.apiUrl()).build())) {
			firstAnnouncer.start();
			secondAnnouncer.start();
			PostgresRecordStore first = new PostgresRecordStore(firstPool, MAPPER, options, firstAnnouncer);
			PostgresRecordStore second = new PostgresRecordStore(secondPool, MAPPER, options, secondAnnouncer);
			first.start();
			second.start();
			try (DeepstreamTestClient client = new DeepstreamTestClient(server)) {
				first.set(NAME, 0, Map.of("count", 0)).thenCompose((done) -> firstAnnouncer.announced(NAME)).join();
				assertThat(client.subscribe(NAME).get("version").asInt()).isZero();

				AtomicInteger applied = new AtomicInteger();
				AtomicInteger gaveUp = new AtomicInteger();
				List<CompletableFuture<Void>> writers = incrementing(List.of(first, second), applied, gaveUp);
				CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
				CompletableFuture.allOf(firstAnnouncer.announced(NAME), secondAnnouncer.announced(NAME)).join();
				System.out.printf("race: %d increments applied, %d gave up after 1000 conflicts%n", applied.get(), gaveUp.get());
				assertEveryAppliedIncrementCounted(first, client, applied.get());
			}
			finally {
				first.close();
				second.close();
			}
		}
	}

	@Test
	@Timeout(300)
	void twoStoresAndAClientIncrementingThroughTheServerLoseNoIncrement(TestSchema.Name schema) {
		RecordStoreOptions options = RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20)).build();
		try (DeepstreamServer server = DeepstreamServer.start(schema.value());
				HikariDataSource firstPool = TestDatabase.get().newDataSource(2);
				HikariDataSource secondPool = TestDatabase.get().newDataSource(2)) {
			PostgresRecordStore first = new PostgresRecordStore(firstPool, MAPPER, options);
			PostgresRecordStore second = new PostgresRecordStore(secondPool, MAPPER, options);
			for (PostgresRecordStore store : List.of(first, second)) {
				store.setConditionalWrites(new ServerCheckedWrites(AnnouncerOptions.builder(server.apiUrl()).build(), MAPPER));
				store.start();
			}
			try (DeepstreamTestClient watcher = new DeepstreamTestClient(server);
					DeepstreamTestClient writer = new DeepstreamTestClient(server)) {
				// The watcher's subscription creates the record, empty, at version 0.
				assertThat(watcher.subscribe(NAME).get("version").asInt()).isZero();

				AtomicInteger applied = new AtomicInteger();
				AtomicInteger gaveUp = new AtomicInteger();
				List<CompletableFuture<Void>> writers = incrementing(List.of(first, second), applied, gaveUp);
				writers.add(CompletableFuture.runAsync(() -> {
					JsonNode outcome = writer.increment(NAME, "count", INCREMENTS, 1000, Duration.ofSeconds(280));
					applied.addAndGet(outcome.get("applied").asInt());
					gaveUp.addAndGet(outcome.get("gaveUp").asInt());
					System.out.printf("race through the server: the client applied %d, met %d conflicts%n",
							outcome.get("applied").asInt(), outcome.get("conflicts").asInt());
				}));
				CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
				System.out.printf("race through the server: %d increments applied, %d gave up after 1000 conflicts%n",
						applied.get(), gaveUp.get());

				assertThat(applied.get() + gaveUp.get()).isEqualTo(3 * INCREMENTS);
				// The server answers a write once its connector has stored it: PostgreSQL has them all.
				assertEveryAppliedIncrementCounted(first, watcher, applied.get());
			}
			finally {
				first.close();
				second.close();
			}
		}
	}

	/** Each store runs {@link #INCREMENTS} {@code update}s of the counter on a thread of its own. */
	private static List<CompletableFuture<Void>> incrementing(List<PostgresRecordStore> stores, AtomicInteger applied,
			AtomicInteger gaveUp) {
		List<CompletableFuture<Void>> writers = new ArrayList<>();
		for (PostgresRecordStore store : stores) {
			writers.add(CompletableFuture.runAsync(() -> {
				for (int i = 0; i < INCREMENTS; i++) {
					try {
						store.update(NAME, 1000, DeepstreamServerRaceIT::increment).join();
						applied.incrementAndGet();
					}
					catch (CompletionException ex) {
						assertThat(ex).hasCauseInstanceOf(VersionConflictException.class);
						gaveUp.incrementAndGet();
					}
				}
			}));
		}
		return writers;
	}

	/** PostgreSQL, the server and the client's last event all hold the counter at {@code applied}, at version {@code applied}. */
	private static void assertEveryAppliedIncrementCounted(PostgresRecordStore store, DeepstreamTestClient client, int applied) {
		StoredRecord stored = store.get(NAME);
		assertThat(stored.value().get("count").asInt()).as("the counter").isEqualTo(applied);
		assertThat(stored.version()).as("one version per applied increment").isEqualTo(applied);
		assertThat(client.head(NAME)).as("the server's version").isEqualTo(applied);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.events())
			.filteredOn((event) -> NAME.equals(event.path("name").asString()))
			.last()
			.satisfies((event) -> {
				assertThat(event.get("version").asInt()).isEqualTo(applied);
				assertThat(event.get("data").get("count").asInt()).isEqualTo(applied);
			}));
	}

	private static Map<String, Integer> increment(@Nullable JsonNode value) {
		JsonNode count = (value != null) ? value.get("count") : null;
		return Map.of("count", ((count != null) ? count.asInt() : 0) + 1);
	}

}
