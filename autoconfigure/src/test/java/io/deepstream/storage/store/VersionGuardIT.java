package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The version guard ({@code versionGuard}, off by default) keeps a record's stored version from going
 * backwards when writers race, in the database and in the write buffer; without it the reference's
 * rule, the last write wins, is kept.
 */
@ExtendWith(TestSchema.class)
class VersionGuardIT {

	private static final int STORES = 4;

	private static final int THREADS_PER_STORE = 2;

	private static final int WRITES_PER_THREAD = 1500;

	private static final int RECORDS = 40;

	private static final List<StoreFixture> guarded = new ArrayList<>();

	private static final List<StoreFixture> unguarded = new ArrayList<>();

	private static TestSchema.Name schema;

	@BeforeAll
	static void startStores(TestSchema.Name name) {
		schema = name;
		for (int i = 0; i < STORES; i++) {
			guarded.add(StoreFixture.start(name.value(),
					(options) -> options.versionGuard(true).writeInterval(Duration.ofMillis(5))));
		}
		for (int i = 0; i < 2; i++) {
			unguarded.add(StoreFixture.start(name.value()));
		}
	}

	@AfterAll
	static void closeStores() {
		guarded.forEach(StoreFixture::close);
		unguarded.forEach(StoreFixture::close);
	}

	@Test
	void withoutTheGuardTheLastWriteWinsAsInTheReference() {
		PostgresRecordStore first = unguarded.get(0).store;
		PostgresRecordStore second = unguarded.get(1).store;
		first.set("off/raced", 5, value(5, "first")).join();
		second.set("off/raced", 3, value(3, "second")).join();
		assertThat(stored("off", "raced")).isEqualTo("3 {\"v\":3,\"by\":\"second\"}");

		CompletableFuture<Void> newer = first.set("off/buffered", 5, value(5, "newer"));
		CompletableFuture<Void> older = first.set("off/buffered", 3, value(3, "older"));
		CompletableFuture.allOf(newer, older).join();
		assertThat(stored("off", "buffered")).isEqualTo("3 {\"v\":3,\"by\":\"older\"}");
	}

	@Test
	void aStaleWriteFromAnotherProcessIsIgnored() {
		PostgresRecordStore first = guarded.get(0).store;
		PostgresRecordStore second = guarded.get(1).store;
		first.set("on/raced", 5, value(5, "first")).join();
		second.set("on/raced", 3, value(3, "second")).join();
		assertThat(stored("on", "raced")).isEqualTo("5 {\"v\":5,\"by\":\"first\"}");
		second.set("on/raced", 5, value(5, "tie")).join();
		assertThat(stored("on", "raced")).as("an equal version is not stale").isEqualTo("5 {\"v\":5,\"by\":\"tie\"}");
		assertThat(second.get("on/raced").version()).isEqualTo(5);
	}

	@Test
	void aStaleWriteInTheSameBufferDoesNotWin() {
		PostgresRecordStore store = guarded.get(0).store;
		CompletableFuture<Void> newer = store.set("on/buffered", 5, value(5, "newer"));
		CompletableFuture<Void> older = store.set("on/buffered", 3, value(3, "older"));
		assertThat(store.get("on/buffered").version()).as("reads see what the database will keep").isEqualTo(5);
		CompletableFuture.allOf(newer, older).join();
		assertThat(stored("on", "buffered")).isEqualTo("5 {\"v\":5,\"by\":\"newer\"}");
	}

	@Test
	void versionZeroWritesApplyTheirValueAndKeepTheHigherVersion() {
		PostgresRecordStore first = guarded.get(0).store;
		PostgresRecordStore second = guarded.get(1).store;
		second.set("zero/created", 0, Map.of()).join();
		assertThat(stored("zero", "created")).isEqualTo("0 {}");
		first.set("zero/created", 1, value(1, "first")).join();
		assertThat(stored("zero", "created")).isEqualTo("1 {\"v\":1,\"by\":\"first\"}");

		first.set("zero/hot", 7, value(7, "versioned")).join();
		second.set("zero/hot", 0, value(0, "hot-path")).join();
		assertThat(stored("zero", "hot")).isEqualTo("7 {\"v\":0,\"by\":\"hot-path\"}");

		// in one buffer: stored 9 elsewhere, then 5 and 0 here: the value of 0 applies, version stays 9
		second.set("zero/combined", 9, value(9, "other")).join();
		CompletableFuture<Void> five = first.set("zero/combined", 5, value(5, "stale"));
		CompletableFuture<Void> zero = first.set("zero/combined", 0, value(0, "unversioned"));
		CompletableFuture.allOf(five, zero).join();
		assertThat(stored("zero", "combined")).isEqualTo("9 {\"v\":0,\"by\":\"unversioned\"}");

		// in one buffer on an older row: 5 and 0 leave version 5 and the value of 0
		second.set("zero/older", 2, value(2, "other")).join();
		CompletableFuture.allOf(first.set("zero/older", 5, value(5, "newer")),
				first.set("zero/older", 0, value(0, "unversioned"))).join();
		assertThat(stored("zero", "older")).isEqualTo("5 {\"v\":0,\"by\":\"unversioned\"}");
	}

	@Test
	void aRecordDeletedAndCreatedAgainInOneBufferStartsOver() {
		PostgresRecordStore store = guarded.get(0).store;
		store.set("reborn/x", 10, value(10, "old-life")).join();
		store.set("reborn/keep", 1, value(1, "keeper")).join();
		CompletableFuture<Void> deleted = store.delete("reborn/x");
		CompletableFuture<Void> created = store.set("reborn/x", 1, value(1, "new-life"));
		CompletableFuture.allOf(deleted, created).join();
		assertThat(stored("reborn", "x")).isEqualTo("1 {\"v\":1,\"by\":\"new-life\"}");
	}

	@Test
	void concurrentWritersLeaveEveryRecordAtTheHighestVersionWritten() throws Exception {
		Map<String, Integer> highest = race("race", guarded);
		assertThat(highest).hasSize(RECORDS);
		Map<String, String> rows = rows("race");
		assertThat(rows).hasSize(RECORDS);
		for (Map.Entry<String, Integer> record : highest.entrySet()) {
			String row = rows.get(record.getKey());
			int storedVersion = Integer.parseInt(row.substring(0, row.indexOf(' ')));
			assertThat(storedVersion).as("version of %s", record.getKey()).isEqualTo(record.getValue());
			// the value is that of a write of the highest version, or of a later version-0 write
			assertThat(row).as("value of %s", record.getKey())
				.matches(storedVersion + " \\{\"v\":(" + storedVersion + "|0),\"by\":\"[^\"]+\"}");
		}
		long failed = guarded.stream().mapToLong((fixture) -> fixture.store.statistics().writesFailed()).sum();
		assertThat(failed).as("failed writes").isZero();
	}

	/**
	 * Every thread of every store writes random versions (some of them 0) to the same records, flushing
	 * now and then.
	 * @return the highest version written to each record
	 */
	private static Map<String, Integer> race(String table, List<StoreFixture> fixtures) throws Exception {
		Map<String, Integer> highest = new ConcurrentHashMap<>();
		int threads = fixtures.size() * THREADS_PER_STORE;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			CyclicBarrier start = new CyclicBarrier(threads);
			List<Future<List<CompletableFuture<Void>>>> writers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				PostgresRecordStore store = fixtures.get(t % fixtures.size()).store;
				String writer = "w" + t;
				writers.add(pool.submit(() -> {
					start.await();
					ThreadLocalRandom random = ThreadLocalRandom.current();
					List<CompletableFuture<Void>> futures = new ArrayList<>();
					for (int i = 0; i < WRITES_PER_THREAD; i++) {
						String id = "r" + random.nextInt(RECORDS);
						int version = (random.nextInt(20) == 0) ? 0 : 1 + random.nextInt(1000);
						futures.add(store.set(table + "/" + id, version, value(version, writer)));
						highest.merge(id, version, Math::max);
						if (random.nextInt(200) == 0) {
							store.flush().join();
						}
					}
					return futures;
				}));
			}
			for (Future<List<CompletableFuture<Void>>> writer : writers) {
				CompletableFuture.allOf(writer.get().toArray(CompletableFuture[]::new)).join();
			}
		}
		finally {
			pool.shutdownNow();
		}
		return highest;
	}

	private static Map<String, Object> value(int version, String by) {
		return Map.of("v", version, "by", by);
	}

	private static String stored(String table, String id) {
		return rows(table).get(id);
	}

	/** id to "version value" of every row of a table. */
	private static Map<String, String> rows(String table) {
		Map<String, String> rows = new ConcurrentHashMap<>();
		guarded.get(0).store.query("SELECT id, version, val::jsonb::text AS val FROM \"" + schema + "\".\"" + table + "\"")
			.forEach((row) -> rows.put((String) row.get("id"), row.get("version") + " " + ((String) row.get("val")).replace(" ", "")));
		return rows;
	}

}
