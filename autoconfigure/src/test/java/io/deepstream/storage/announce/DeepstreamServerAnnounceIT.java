package io.deepstream.storage.announce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.store.StoredRecord;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Our writes, next to a real deepstream server 7.0.2 on the same schema: announced with a record
 * {@code notify}, its subscribed clients receive them, its cache serves them, and its clients' next
 * writes land on top of them.
 */
@ExtendWith(TestSchema.class)
class DeepstreamServerAnnounceIT {

	private static final Duration WRITE_INTERVAL = Duration.ofMillis(100);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static DeepstreamServer server;

	private static HikariDataSource dataSource;

	private static ServerAnnouncer announcer;

	private static PostgresRecordStore store;

	private static DeepstreamTestClient client;

	@BeforeAll
	static void start(TestSchema.Name schema) {
		dataSource = TestDatabase.get().newDataSource(4);
		RecordStoreOptions options = RecordStoreOptions.builder().schema(schema.value()).writeInterval(WRITE_INTERVAL).build();
		server = DeepstreamServer.start(schema.value());
		announcer = new ServerAnnouncer(AnnouncerOptions.builder(server.apiUrl()).build());
		announcer.start();
		store = new PostgresRecordStore(dataSource, MAPPER, options, announcer);
		store.start();
		client = new DeepstreamTestClient(server);
	}

	@AfterAll
	static void stop() {
		client.close();
		store.close();
		announcer.close();
		server.close();
		dataSource.close();
	}

	private static JsonNode json(String text) {
		return MAPPER.readTree(text);
	}

	private static List<JsonNode> eventsFor(String name) {
		return client.events().stream().filter((event) -> name.equals(event.path("name").asString())).toList();
	}

	@Test
	void aSubscribedClientReceivesOurWriteAtOurVersionWithinTheWriteIntervalPlus500MsAndOurDeleteAsADelete() {
		store.set("live/r1", 1, Map.of("by", "us", "n", 1)).thenCompose((done) -> announcer.announced("live/r1")).join();
		JsonNode subscribed = client.subscribe("live/r1");
		assertThat(subscribed.get("version").asInt()).isEqualTo(1);
		assertThat(subscribed.get("data")).isEqualTo(json("{\"by\":\"us\",\"n\":1}"));

		long start = System.nanoTime();
		store.set("live/r1", 2, Map.of("by", "us", "n", 2));
		await().atMost(WRITE_INTERVAL.plusMillis(500)).pollInterval(Duration.ofMillis(5))
			.until(() -> eventsFor("live/r1").stream().anyMatch((event) -> event.path("version").asInt() == 2));
		System.out.printf("client saw our write %d ms after set (write interval %d ms)%n",
				(System.nanoTime() - start) / 1_000_000, WRITE_INTERVAL.toMillis());
		JsonNode update = eventsFor("live/r1").stream().filter((event) -> event.path("version").asInt() == 2).findFirst().orElseThrow();
		assertThat(update.get("data")).isEqualTo(json("{\"by\":\"us\",\"n\":2}"));

		store.delete("live/r1");
		await().atMost(WRITE_INTERVAL.plusMillis(500)).pollInterval(Duration.ofMillis(5))
			.until(() -> eventsFor("live/r1").stream().anyMatch((event) -> "delete".equals(event.path("event").asString())));
	}

	@Test
	void aSnapshotAfterOurWriteReturnsOurValue() {
		store.set("cached/r1", 1, Map.of("n", 1)).thenCompose((done) -> announcer.announced("cached/r1")).join();
		assertThat(client.snapshot("cached/r1")).isEqualTo(json("{\"n\":1}"));
		assertThat(client.head("cached/r1")).isEqualTo(1);
		store.set("cached/r1", 2, Map.of("n", 2)).thenCompose((done) -> announcer.announced("cached/r1")).join();
		assertThat(client.snapshot("cached/r1")).as("the server's cache no longer holds version 1").isEqualTo(json("{\"n\":2}"));
		assertThat(client.head("cached/r1")).isEqualTo(2);
	}

	@Test
	void theClientsNextWriteLandsOnTopOfOursNeverOverIt() {
		store.set("ontop/r1", 1, Map.of("by", "us")).thenCompose((done) -> announcer.announced("ontop/r1")).join();
		client.subscribe("ontop/r1");
		store.update("ontop/r1", (value) -> Map.of("by", "us again")).join();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> eventsFor("ontop/r1").stream().anyMatch((event) -> event.path("version").asInt() == 2));
		assertThat(client.set("ontop/r1", Map.of("by", "client"))).isEqualTo(3);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(
				() -> assertThat(store.get("ontop/r1")).isEqualTo(new StoredRecord(3, json("{\"by\":\"client\"}"))));
	}

	@Test
	void whatDependsOnAWaitMayUseTheAnnouncerFromAnotherThreadWhileItRuns() throws Exception {
		List<NamesGivenUp> givenUp = new CopyOnWriteArrayList<>();
		try (ServerAnnouncer small = new ServerAnnouncer(
				AnnouncerOptions.builder(server.apiUrl()).maxNamesPerRequest(1).maxPendingNames(1).build())) {
			small.addListener(givenUp::add);
			// queued before the thread starts: the wait completes on the announcer's thread, as it answers
			small.announce(List.of("callback/a"));
			CompletableFuture<Void> dependent = small.announced("callback/a").thenRun(() -> {
				// another thread commits more names than fit, and so reports the overflow itself
				CompletableFuture.runAsync(() -> small.announce(List.of("callback/b", "callback/c", "callback/d")))
					.orTimeout(5, TimeUnit.SECONDS).join();
			});
			small.start();
			dependent.get(10, TimeUnit.SECONDS);
			assertThat(givenUp).singleElement().satisfies((report) -> {
				assertThat(report.kind()).isEqualTo(FailureKind.QUEUE_FULL);
				assertThat(report.names()).containsExactly("callback/c", "callback/d");
			});
			small.announced("callback/b").get(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void tenThousandWritesOverAHundredRecordsHeldByAClientEndAtTheirLastValuesWithFarFewerRequests() {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			names.add("many/r" + i);
			store.set("many/r" + i, 1, Map.of("round", 0));
		}
		store.flush().thenCompose((done) -> announcer.announced(names)).join();
		names.forEach(client::subscribe);
		long requestsBefore = announcer.state().get(0).requests();
		List<CompletableFuture<Void>> writes = new ArrayList<>();
		for (int round = 1; round <= 100; round++) {
			for (String name : names) {
				writes.add(store.set(name, round + 1, Map.of("round", round)));
			}
		}
		CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenCompose((done) -> announcer.announced(names)).join();
		long requests = announcer.state().get(0).requests() - requestsBefore;
		System.out.printf("10,000 writes over 100 records: %d notify requests%n", requests);
		assertThat(requests).isLessThan(writes.size() / 100);
		Map<String, Integer> lastSeen = new HashMap<>();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (JsonNode event : client.events()) {
				if (event.path("name").asString().startsWith("many/") && event.has("data")) {
					lastSeen.merge(event.get("name").asString(), event.get("data").path("round").asInt(), Math::max);
				}
			}
			assertThat(lastSeen).hasSize(100).allSatisfy((name, round) -> assertThat(round).isEqualTo(100));
		});
		for (String name : names) {
			assertThat(client.snapshot(name)).isEqualTo(json("{\"round\":100}"));
		}
	}

}
