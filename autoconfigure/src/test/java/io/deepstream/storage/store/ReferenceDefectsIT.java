package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One regression test per defect of the reference connector listed in wire-format.md; the reference
 * fails each of them.
 */
class ReferenceDefectsIT {

	/** The reference's trigger function, as a reference process that starts after ours re-creates it. */
	private static final String REFERENCE_BROADCAST_UPDATE = """
			CREATE OR REPLACE FUNCTION broadcast_update() RETURNS trigger AS $$
			DECLARE
			    id text;
			BEGIN
			    IF TG_OP = 'DELETE' THEN
			        id = OLD.id;
			      ELSE
			        id = NEW.id;
			      END IF;
			    EXECUTE 'NOTIFY "' || TG_TABLE_SCHEMA || '", ''' || TG_OP || ':' || TG_TABLE_NAME || ':' || id || ''';';
			    RETURN NULL;
			 END;
			 $$ LANGUAGE plpgsql""";

	@RegisterExtension
	static final SharedStore shared = new SharedStore();

	private static PostgresRecordStore store;

	private static TestSchema.Name schema;

	@BeforeAll
	static void useTheSharedStore() {
		store = shared.store();
		schema = shared.schema();
	}

	@Test
	void sqlInjectionThroughTheIdReadsNothingElse() {
		store.set("plain/secret", 1, Map.of("secret", true)).join();
		assertThat(store.get("plain/nope' OR '1'='1")).isEqualTo(StoredRecord.MISSING);
		store.set("plain/x'); DROP TABLE plain; --", 2, Map.of("evil", 1)).join();
		assertThat(store.get("plain/x'); DROP TABLE plain; --").version()).isEqualTo(2);
		assertThat(store.get("plain/secret").version()).isEqualTo(1);
	}

	@Test
	void idsWithQuotesRoundTrip() {
		String name = "quotes/it's \"quoted\"; -- /* */ \\ ";
		store.set(name, 1, Map.of("ok", true)).join();
		assertThat(store.get(name).version()).isEqualTo(1);
		assertThat(store.query("SELECT id FROM \"" + schema + "\".quotes")).containsExactly(Map.of("id",
				"it's \"quoted\"; -- /* */ \\ "));
	}

	@Test
	void hostileTableNamesAreQuotedOrRejected() {
		store.set("Robert\"); DROP SCHEMA public; --/x", 1, Map.of()).join();
		assertThat(store.getSchemaOverview()).containsEntry("Robert\"); DROP SCHEMA public; --", 1L);
		assertThat(store.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'public'")).hasSize(1);
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("evil:payload/x", 1, Map.of()));
	}

	@Test
	void idsContainingColonsKeepTheirWholeIdInThePayload() throws Exception {
		assertThat(receivedWhile(() -> store.set("colons/x:y", 1, Map.of()).join(), 2))
			.contains("INSERT:colons:x:y");
	}

	@Test
	void ourTablesAcceptQuotedIdsEvenAfterTheReferenceReinstallsItsTrigger() throws Exception {
		store.set("afterref/seed", 1, Map.of()).join();
		schema.database().execute(REFERENCE_BROADCAST_UPDATE);
		try {
			assertThat(receivedWhile(() -> store.set("afterref/o'neil", 1, Map.of()).join(), 1))
				.containsExactly("INSERT:afterref:o'neil");
			assertThat(store.get("afterref/o'neil").exists()).isTrue();
		}
		finally {
			// Put ours back for the other tests of this run: a store start replaces it.
			StoreFixture.start(schema.value()).close();
		}
	}

	@Test
	void tablesCreatedByTheReferenceAcceptQuotedIdsWhileOurBroadcastUpdateIsInstalled() throws Exception {
		String table = "\"" + schema + "\".reftable";
		schema.database().execute("CREATE TABLE " + table + " (id text NOT NULL, version int DEFAULT 0, val text NOT NULL, PRIMARY KEY (id))");
		schema.database().execute("CREATE TRIGGER \"broadcast_update_" + schema + "_reftable\" AFTER INSERT OR UPDATE OR DELETE ON "
				+ table + " FOR EACH ROW EXECUTE PROCEDURE broadcast_update()");
		StoreFixture.start(schema.value()).close(); // a start of ours installs the quote-safe broadcast_update()
		assertThat(receivedWhile(() -> store.set("reftable/d'arcy", 1, Map.of()).join(), 1))
			.containsExactly("INSERT:reftable:d'arcy");
	}

	@Test
	void closeFlushesBufferedWritesInsteadOfDroppingThem() {
		StoreFixture slow = StoreFixture.start(schema.value(), (options) -> options.writeInterval(Duration.ofHours(1)));
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			futures.add(slow.store.set("closing/" + i, 1, Map.of("i", i)));
		}
		assertThat(futures).noneMatch(CompletableFuture::isDone);
		slow.close();
		assertThat(futures).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
		assertThat(store.getSchemaOverview()).containsEntry("closing", 50L);
	}

	@Test
	void aFailedBatchFailsItsFuturesVisibly() {
		schema.database().execute("CREATE TABLE \"" + schema + "\".broken (id text PRIMARY KEY, version int, val int NOT NULL)");
		CompletableFuture<Void> write = store.set("broken/x", 1, Map.of("a", 1));
		assertThatThrownBy(write::join).hasCauseInstanceOf(RecordWriteException.class)
			.hasMessageContaining("broken");
		assertThat(store.get("broken/x")).as("the failed write is not visible").isEqualTo(StoredRecord.MISSING);
		assertThat(store.statistics().writesFailed()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void getRightAfterSetReturnsTheNewValue() {
		store.set("stale/x", 1, Map.of("v", "old")).join();
		store.set("stale/x", 2, Map.of("v", "new"));
		assertThat(store.get("stale/x").version()).isEqualTo(2);
		assertThat(store.get("stale/x").value().get("v").asString()).isEqualTo("new");
	}

	@Test
	void deleteBulkIsImplemented() {
		store.set("bulkdefect/a", 1, Map.of()).join();
		store.set("bulkdefect/b", 1, Map.of()).join();
		store.deleteBulk(List.of("bulkdefect/a", "bulkdefect/b")).join();
		assertThat(store.getSchemaOverview()).doesNotContainKey("bulkdefect");
	}

	@Test
	void longTableNamesAreRejectedInsteadOfTruncatedIntoOneTable() {
		String base = "t".repeat(63);
		store.set(base + "/x", 1, Map.of()).join();
		assertThatIllegalArgumentException().isThrownBy(() -> store.set(base + "a/x", 1, Map.of()))
			.withMessageContaining("at most 63");
		assertThatIllegalArgumentException().isThrownBy(() -> store.set("é".repeat(32) + "/x", 1, Map.of()))
			.withMessageContaining("64 bytes");
		assertThat(store.getSchemaOverview()).containsEntry(base, 1L);
	}

	/** Collects the payloads on the schema channel while running an action. */
	private static List<String> receivedWhile(Runnable action, int expected) throws Exception {
		try (Connection listener = schema.database().connect(); Statement statement = listener.createStatement()) {
			statement.execute("LISTEN \"" + schema + "\"");
			action.run();
			List<String> received = new ArrayList<>();
			await().until(() -> {
				PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(100);
				if (notifications != null) {
					for (PGNotification notification : notifications) {
						received.add(notification.getParameter());
					}
				}
				return received.size() >= expected;
			});
			return received;
		}
	}

}
