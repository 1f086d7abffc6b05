package io.deepstream.storage.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.listen.MissedNotifications;
import io.deepstream.storage.listen.Notification;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.WriteLoad;
import io.deepstream.storage.test.ThrowawayPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary fails and its streaming standby takes over, under a write load of four threads and
 * with the listener running. Two throwaway clusters: a primary and a hot standby made from it with
 * {@code pg_basebackup}; the storage is auto-configured with a multi-host URL,
 * {@code jdbc:postgresql://primary,standby/postgres?targetServerType=primary}, for the pool and the
 * listener alike. The primary is killed ({@code pg_ctl stop -m immediate}) and the standby promoted
 * ({@code pg_ctl promote}); the pool and the listener find the new primary by themselves.
 * <ul>
 * <li>With synchronous replication every acknowledged write is on the new primary with its value.</li>
 * <li>With asynchronous replication PostgreSQL promises less: writes acknowledged shortly before the
 * crash may not have reached the standby. The test counts them and reports them, and checks that each
 * of them had been acknowledged before the crash; every other acknowledged write is there.</li>
 * </ul>
 * Both times writes resume without help, no write is left hanging, and the listener reconnects to the
 * new primary and reports the gap once. Recovery times are printed. And a listener pointed at a
 * standby fails start-up: a standby refuses {@code LISTEN}.
 */
class FailoverIT {

	private static final int WRITERS = 4;

	private static final int TABLES = 4;

	private static final Duration WAIT = WriteLoad.WAIT;

	@Test
	void synchronousReplicationLosesNoAcknowledgedWrite() throws Exception {
		failover(true);
	}

	@Test
	void asynchronousReplicationLosesOnlyWritesAcknowledgedBeforeTheCrash() throws Exception {
		failover(false);
	}

	@Test
	void listenerPointedAtAStandbyFailsStartUpNamingListenerUrl() {
		try (ThrowawayPostgres primary = ThrowawayPostgres.start(); ThrowawayPostgres standby = primary.startStandby()) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class))
				.withPropertyValues("deepstream.storage.url=" + primary.jdbcUrl(), "deepstream.storage.user=" + primary.username(),
						"deepstream.storage.listener.url=" + standby.jdbcUrl())
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure())
						.hasStackTraceContaining("cannot receive notifications through deepstream.storage.listener.url ("
								+ standby.jdbcUrl() + ")")
						.hasStackTraceContaining("LISTEN was refused")
						.hasStackTraceContaining("a standby refuses LISTEN");
				});
		}
	}

	private void failover(boolean synchronous) throws Exception {
		String replication = synchronous ? "synchronous" : "asynchronous";
		String schema = "failover";
		try (ThrowawayPostgres primary = ThrowawayPostgres.start(); ThrowawayPostgres standby = primary.startStandby()) {
			if (synchronous) {
				// after the base backup: the standby must not inherit it (see startStandby)
				primary.execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
				primary.execute("SELECT pg_reload_conf()");
			}
			await().atMost(WAIT).until(() -> primary.queryForLong("SELECT count(*) FROM pg_stat_replication"
					+ " WHERE state = 'streaming' AND sync_state = ?", synchronous ? "sync" : "async") == 1);
			String url = "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
					+ "/postgres?targetServerType=primary";
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class))
				.withPropertyValues("deepstream.storage.url=" + url, "deepstream.storage.user=" + primary.username(),
						"deepstream.storage.schema=" + schema, "deepstream.storage.write-interval=50ms")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					NotificationListener listener = context.getBean(NotificationListener.class);
					List<Long> missedAt = new CopyOnWriteArrayList<>();
					List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
					List<Notification> heard = new CopyOnWriteArrayList<>();
					listener.onMissedNotifications((gap) -> {
						missedAt.add(System.nanoTime());
						missed.add(gap);
					});
					listener.subscribe(heard::add).get(WAIT.toSeconds(), TimeUnit.SECONDS);
					try (WriteLoad load = new WriteLoad(context.getBean(PostgresRecordStore.class), WRITERS, TABLES, 100)) {
						load.start();
						load.awaitAcknowledged(3000);

						long behind = primary.queryForLong("SELECT coalesce(max(pg_current_wal_lsn() - flush_lsn), 0)::bigint"
								+ " FROM pg_stat_replication");
						long killed = System.nanoTime();
						primary.kill();
						standby.promote();
						long promoted = System.nanoTime();
						String recovery = load.recovery("primary killed (-m immediate), standby promoted", killed, promoted,
								missedAt, 1);
						load.awaitAcknowledged(load.acknowledged() + 3000);
						WriteLoad.Outcome outcome = load.finish();

						Map<String, String> stored = WriteLoad.rows(standby::connect, schema, TABLES);
						List<WriteLoad.Write> lost = outcome.acknowledged()
							.stream()
							.filter((write) -> !write.json.equals(stored.get(write.name)))
							.toList();
						outcome.assertVisibleFailures();
						if (synchronous) {
							assertThat(lost).as("acknowledged writes missing on the new primary").isEmpty();
						}
						else {
							// PostgreSQL's promise with asynchronous replication: only writes committed (and
							// acknowledged) before the crash can be missing, never a later one
							assertThat(lost).allSatisfy((write) -> assertThat(write.committedAt).isLessThan(killed));
							assertThat(lost).allSatisfy((write) -> assertThat(stored).doesNotContainKey(write.name));
						}
						assertThat(outcome.acknowledged().size() - lost.size()).isGreaterThan(5000);

						// the listener is on the new primary: one gap reported, and a new write is announced
						assertThat(listener.state().reconnects()).isEqualTo(1);
						assertThat(missed).singleElement().satisfies((gap) -> assertThat(gap.schemas()).containsExactly(schema));
						load.store.set("after/failover", 1, Map.of()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
						await().atMost(WAIT).untilAsserted(() -> assertThat(heard)
							.contains(new Notification(ChangeKind.INSERT, schema, "after", "failover")));
						long lastLostAgo = lost.stream().mapToLong((write) -> killed - write.committedAt).min().orElse(0);
						System.out.printf("FailoverIT (%s replication): %d writes by %d threads to %d tables: %d"
								+ " acknowledged, %d of them missing on the promoted standby (acknowledged %d to %d ms"
								+ " before the crash; WAL not yet flushed by the standby just before the kill: %d"
								+ " bytes), %d failed with RecordWriteException, 0 left hanging; %d batch"
								+ " retries; %s%n", replication, outcome.total(), WRITERS, TABLES,
								outcome.acknowledged().size(), lost.size(),
								WriteLoad.millis(lastLostAgo),
								WriteLoad.millis(lost.stream().mapToLong((write) -> killed - write.committedAt).max().orElse(0)),
								behind, outcome.failed().size(), load.store.statistics().retries(), recovery);
					}
				});
		}
	}

}
