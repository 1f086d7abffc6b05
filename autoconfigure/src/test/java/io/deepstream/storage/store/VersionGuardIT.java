package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

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
	void aDeleteFromAnotherProcessStartsTheRecordOverSoALowerVersionAppliesAfterIt() {
		PostgresRecordStore first = guarded.get(0).store;
		PostgresRecordStore second = guarded.get(1).store;
		first.set("restart/keep", 1, value(1, "keeper")).join();
		first.set("restart/x", 8, value(8, "first-life")).join();
		second.delete("restart/x").join();
		assertThat(stored("restart", "x")).isNull();
		// a stale write of the first process arrives after the delete: the record starts over with it
		first.set("restart/x", 3, value(3, "second-life")).join();
		assertThat(stored("restart", "x")).isEqualTo("3 {\"v\":3,\"by\":\"second-life\"}");
		assertThat(first.get("restart/x").version()).isEqualTo(3);
		// and from then on the guard holds again
		second.set("restart/x", 2, value(2, "stale")).join();
		assertThat(stored("restart", "x")).isEqualTo("3 {\"v\":3,\"by\":\"second-life\"}");
	}

	@Test
	void aStaleWriteBufferedBeforeADeleteOfAnotherProcessIsKeptOnlyUntilTheDelete() {
		PostgresRecordStore first = guarded.get(0).store;
		PostgresRecordStore second = guarded.get(1).store;
		first.set("late/keep", 1, value(1, "keeper")).join();
		first.set("late/x", 8, value(8, "first")).join();
		second.set("late/x", 5, value(5, "stale")).join(); // ignored: 8 is stored
		assertThat(stored("late", "x")).isEqualTo("8 {\"v\":8,\"by\":\"first\"}");
		second.delete("late/x").join();
		second.set("late/x", 5, value(5, "after-delete")).join(); // the same version applies now
		assertThat(stored("late", "x")).isEqualTo("5 {\"v\":5,\"by\":\"after-delete\"}");
	}

	@Test
	void concurrentWritersAndDeletersLoseNothingAndLeaveOnlyVersionsThatWereWritten() throws Exception {
		Map<String, Set<Integer>> written = new ConcurrentHashMap<>();
		AtomicInteger deletes = new AtomicInteger();
		raceWithDeletes("deleted", guarded, written, deletes);
		assertThat(deletes).as("deletes in the race").hasValueGreaterThan(100);
		long failed = guarded.stream().mapToLong((fixture) -> fixture.store.statistics().writesFailed()).sum();
		assertThat(failed).as("failed writes").isZero();
		Map<String, String> rows = rows("deleted");
		for (Map.Entry<String, String> row : rows.entrySet()) {
			String text = row.getValue();
			int storedVersion = Integer.parseInt(text.substring(0, text.indexOf(' ')));
			assertThat(written.get(row.getKey())).as("versions written to %s", row.getKey()).contains(storedVersion);
			assertThat(text).as("value of %s", row.getKey())
				.matches(storedVersion + " \\{\"v\":(" + storedVersion + "|0),\"by\":\"[^\"]+\"}");
		}
		// every record ends with a last versioned write of each store after the race: the highest of them
		for (int r = 0; r < RECORDS; r++) {
			List<CompletableFuture<Void>> last = new ArrayList<>();
			for (int i = 0; i < guarded.size(); i++) {
				last.add(guarded.get(i).store.set("deleted/r" + r, 5000 + i, value(5000 + i, "last" + i)));
			}
			CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).join();
		}
		Map<String, String> after = rows("deleted");
		after.remove("anchor");
		assertThat(after).hasSize(RECORDS);
		int top = 5000 + guarded.size() - 1;
		assertThat(after.values()).allSatisfy((row) -> assertThat(row).isEqualTo(top + " {\"v\":" + top + ",\"by\":\"last"
				+ (guarded.size() - 1) + "\"}"));
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

	/**
	 * As {@link #race}, with one operation in ten a delete, so that batches mix upserts and deletes
	 * and records start over while other processes write them. One record is never deleted, so that
	 * the table stays.
	 */
	private static void raceWithDeletes(String table, List<StoreFixture> fixtures, Map<String, Set<Integer>> written,
			AtomicInteger deletes) throws Exception {
		fixtures.get(0).store.set(table + "/anchor", 1, value(1, "anchor")).join();
		written.computeIfAbsent("anchor", (id) -> ConcurrentHashMap.newKeySet()).add(1);
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
					for (int i = 0; i < WRITES_PER_THREAD / 2; i++) {
						String id = "r" + random.nextInt(RECORDS);
						if (random.nextInt(10) == 0) {
							futures.add(store.delete(table + "/" + id));
							deletes.incrementAndGet();
							continue;
						}
						int version = (random.nextInt(20) == 0) ? 0 : 1 + random.nextInt(1000);
						written.computeIfAbsent(id, (key) -> ConcurrentHashMap.newKeySet()).add(version);
						futures.add(store.set(table + "/" + id, version, value(version, writer)));
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
