package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Conditional writes and {@code update} against a real PostgreSQL: the version check happens in the
 * batch's own statement, a conflict fails only its own write and carries the record as found.
 */
class ConditionalWriteIT {

	@RegisterExtension
	static final SharedStore shared = new SharedStore();

	private static PostgresRecordStore store;

	private static TestSchema.Name schema;

	@BeforeAll
	static void useTheSharedStore() {
		store = shared.store();
		schema = shared.schema();
	}

	private static JsonNode json(String text) {
		return StoreFixture.MAPPER.readTree(text);
	}

	private static VersionConflictException conflictOf(CompletableFuture<?> future) {
		Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(future::join);
		assertThat(thrown).hasCauseInstanceOf(VersionConflictException.class);
		return (VersionConflictException) thrown.getCause();
	}

	private StoredRecord row(String table, String id) {
		List<StoredRecord> rows = new ArrayList<>();
		try (var connection = TestDatabase.get().connect();
				var statement = connection.prepareStatement(
						"SELECT version, val FROM \"" + schema + "\".\"" + table + "\" WHERE id = ?")) {
			statement.setString(1, id);
			try (var rs = statement.executeQuery()) {
				while (rs.next()) {
					rows.add(new StoredRecord(rs.getInt(1), json(rs.getString(2))));
				}
			}
		}
		catch (java.sql.SQLException ex) {
			if ("42P01".equals(ex.getSQLState())) {
				return StoredRecord.MISSING;
			}
			throw new IllegalStateException(ex);
		}
		return rows.isEmpty() ? StoredRecord.MISSING : rows.get(0);
	}

	@Test
	void expectingNoRecordCreatesIt() {
		store.compareAndSet("cas/new", -1, 0, Map.of("n", 0)).join();
		assertThat(row("cas", "new")).isEqualTo(new StoredRecord(0, json("{\"n\":0}")));
	}

	@Test
	void expectingNoRecordWhenOneExistsConflictsAndChangesNothing() {
		store.set("cas/taken", 4, Map.of("n", 4)).join();
		VersionConflictException conflict = conflictOf(store.compareAndSet("cas/taken", -1, 0, Map.of("n", 0)));
		assertThat(conflict.getExpectedVersion()).isEqualTo(-1);
		assertThat(conflict.getCurrent()).isEqualTo(new StoredRecord(4, json("{\"n\":4}")));
		assertThat(row("cas", "taken")).isEqualTo(new StoredRecord(4, json("{\"n\":4}")));
	}

	@Test
	void theExpectedVersionApplies() {
		store.set("cas/match", 2, Map.of("n", 2)).join();
		store.compareAndSet("cas/match", 2, 3, Map.of("n", 3)).join();
		assertThat(row("cas", "match")).isEqualTo(new StoredRecord(3, json("{\"n\":3}")));
	}

	@Test
	void aWriteByAnotherConnectionBetweenReadAndWriteIsAConflictCarryingItsVersionAndValue() {
		store.set("cas/raced", 1, Map.of("by", "us")).join();
		StoredRecord read = store.get("cas/raced");
		TestDatabase.get().execute("UPDATE \"" + schema + "\".cas SET version = 2, val = '{\"by\":\"them\"}' WHERE id = 'raced'");
		VersionConflictException conflict = conflictOf(
				store.compareAndSet("cas/raced", read.version(), read.version() + 1, Map.of("by", "us again")));
		assertThat(conflict.getCurrent()).isEqualTo(new StoredRecord(2, json("{\"by\":\"them\"}")));
		assertThat(conflict.getTable()).isEqualTo("cas");
		assertThat(conflict.getId()).isEqualTo("raced");
		assertThat(row("cas", "raced")).isEqualTo(new StoredRecord(2, json("{\"by\":\"them\"}")));
	}

	@Test
	void aConflictFailsOnlyItsOwnWriteInABatchOfMixedWrites() {
		try (StoreFixture slow = StoreFixture.start(schema.value(), (options) -> options.writeInterval(Duration.ofHours(1)))) {
			store.set("mixed/conflicting", 5, Map.of("n", 5)).join();
			store.set("mixed/matching", 5, Map.of("n", 5)).join();
			store.set("mixed/doomed", 1, Map.of("n", 1)).join();
			long batches = slow.store.statistics().batchesCommitted();
			CompletableFuture<Void> conflicting = slow.store.compareAndSet("mixed/conflicting", 4, 5, Map.of("n", "stale"));
			CompletableFuture<Void> matching = slow.store.compareAndSet("mixed/matching", 5, 6, Map.of("n", 6));
			CompletableFuture<Void> created = slow.store.compareAndSet("mixed/created", -1, 0, Map.of("n", 0));
			CompletableFuture<Void> plain = slow.store.set("mixed/plain", 7, Map.of("n", 7));
			CompletableFuture<Void> deleted = slow.store.delete("mixed/doomed");
			slow.store.flush().join();
			assertThat(slow.store.statistics().batchesCommitted()).as("all in one batch").isEqualTo(batches + 1);
			assertThat(conflictOf(conflicting).getCurrent()).isEqualTo(new StoredRecord(5, json("{\"n\":5}")));
			assertThat(List.of(matching, created, plain, deleted)).allSatisfy((future) -> assertThat(future).isCompleted());
			assertThat(row("mixed", "conflicting")).isEqualTo(new StoredRecord(5, json("{\"n\":5}")));
			assertThat(row("mixed", "matching")).isEqualTo(new StoredRecord(6, json("{\"n\":6}")));
			assertThat(row("mixed", "created")).isEqualTo(new StoredRecord(0, json("{\"n\":0}")));
			assertThat(row("mixed", "plain")).isEqualTo(new StoredRecord(7, json("{\"n\":7}")));
			assertThat(row("mixed", "doomed")).isEqualTo(StoredRecord.MISSING);
			assertThat(slow.store.statistics().writesConflicted()).isEqualTo(1);
		}
	}

	@Test
	void aConditionalWriteQueuedBehindAnotherWriteIsCheckedAgainstWhatThatOneStored() {
		try (StoreFixture slow = StoreFixture.start(schema.value(), (options) -> options.writeInterval(Duration.ofHours(1)))) {
			CompletableFuture<Void> plain = slow.store.set("chain/a", 3, Map.of("n", 3));
			CompletableFuture<Void> stale = slow.store.compareAndSet("chain/a", 1, 2, Map.of("n", "stale"));
			CompletableFuture<Void> after = slow.store.compareAndSet("chain/b", -1, 0, Map.of("n", 0));
			CompletableFuture<Void> follows = slow.store.compareAndSet("chain/b", 0, 1, Map.of("n", 1));
			slow.store.flush().join();
			plain.join();
			assertThat(conflictOf(stale).getCurrent()).isEqualTo(new StoredRecord(3, json("{\"n\":3}")));
			after.join();
			follows.join();
			assertThat(row("chain", "a")).isEqualTo(new StoredRecord(3, json("{\"n\":3}")));
			assertThat(row("chain", "b")).isEqualTo(new StoredRecord(1, json("{\"n\":1}")));
		}
	}

	@Test
	void aConditionalUpdateOfARecordInATableThatDoesNotExistConflictsWithoutCreatingTheTable() {
		VersionConflictException conflict = conflictOf(store.compareAndSet("nowhere/a", 3, 4, Map.of("n", 4)));
		assertThat(conflict.getCurrent()).isEqualTo(StoredRecord.MISSING);
		assertThat(store.getSchemaOverview()).doesNotContainKey("nowhere");
	}

	@Test
	void anInvalidExpectedVersionIsRefusedBeforeAnythingIsBuffered() {
		long accepted = store.statistics().writesAccepted();
		assertThatIllegalArgumentException().isThrownBy(() -> store.compareAndSet("cas/x", -2, 1, Map.of()))
			.withMessageContaining("-2");
		assertThat(store.statistics().writesAccepted()).isEqualTo(accepted);
	}

	@Test
	void updateWritesTheNextVersionAndCreatesAMissingRecordAtVersionZero() {
		StoredRecord created = store.update("counter/fresh", (value) -> Map.of("count", 1)).join();
		assertThat(created).isEqualTo(new StoredRecord(0, json("{\"count\":1}")));
		StoredRecord next = store.update("counter/fresh", (value) -> Map.of("count", value.get("count").asInt() + 1)).join();
		assertThat(next).isEqualTo(new StoredRecord(1, json("{\"count\":2}")));
		assertThat(row("counter", "fresh")).isEqualTo(next);
	}

	@Test
	void updateFailsWithWhatTheChangeThrows() {
		store.set("counter/broken", 1, Map.of("count", 1)).join();
		CompletableFuture<StoredRecord> update = store.update("counter/broken", (value) -> {
			throw new IllegalStateException("no change today");
		});
		assertThatThrownBy(update::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("no change today");
		assertThat(row("counter", "broken")).isEqualTo(new StoredRecord(1, json("{\"count\":1}")));
	}

	@Test
	void concurrentUpdatesFromTwoStoresLoseNoIncrement() throws Exception {
		store.set("counter/shared", 0, Map.of("count", 0)).join();
		int perWriter = 150;
		AtomicInteger succeeded = new AtomicInteger();
		AtomicInteger gaveUp = new AtomicInteger();
		try (StoreFixture other = StoreFixture.start(schema.value())) {
			ExecutorService writers = Executors.newFixedThreadPool(4);
			try {
				List<Future<?>> running = new ArrayList<>();
				for (PostgresRecordStore writer : List.of(store, other.store, store, other.store)) {
					running.add(writers.submit(() -> {
						for (int i = 0; i < perWriter; i++) {
							try {
								writer.update("counter/shared", 100, (value) -> increment(value)).join();
								succeeded.incrementAndGet();
							}
							catch (java.util.concurrent.CompletionException ex) {
								assertThat(ex).hasCauseInstanceOf(VersionConflictException.class);
								gaveUp.incrementAndGet();
							}
						}
					}));
				}
				for (Future<?> future : running) {
					future.get();
				}
			}
			finally {
				writers.shutdownNow();
			}
		}
		StoredRecord last = row("counter", "shared");
		assertThat(succeeded.get() + gaveUp.get()).isEqualTo(4 * perWriter);
		assertThat(last.value().get("count").asInt()).isEqualTo(succeeded.get());
		assertThat(last.version()).as("one version per applied write").isEqualTo(succeeded.get());
	}

	private static ObjectNode increment(JsonNode value) {
		ObjectNode next = StoreFixture.MAPPER.createObjectNode();
		next.put("count", value.get("count").asInt() + 1);
		return next;
	}

}
