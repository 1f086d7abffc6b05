package io.deepstream.storage.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.WriteLoad;
import io.deepstream.storage.test.ThrowawayPostgres;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole server (a throwaway cluster) hangs in the middle of a burst of writes: {@code SIGSTOP} to
 * the postmaster and every backend, so that every connection stays open and silent and new ones are
 * accepted by the kernel but never answered. The auto-configured pool's socket and connection
 * timeouts bound how long any write can wait: each future completes or fails (with
 * {@code RecordWriteException}) within {@link DeepstreamStoragePoolSettings#settleBound} of the
 * batch it waits for, and a write waits for at most its table's batch in flight and its own. After
 * {@code SIGCONT} writes resume by themselves, and every acknowledged write is stored with its value.
 */
class HungServerIT {

	private static final int WRITERS = 4;

	/** As many tables as flush threads: no batch waits for a flush thread, only for its table's. */
	private static final int TABLES = 2;

	private static final Duration WRITE_INTERVAL = Duration.ofMillis(50);

	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	private static final int MAX_RETRIES = 1;

	private static final Duration BACKOFF = Duration.ofMillis(100);

	@AutoClose
	private static final ThrowawayPostgres postgres = ThrowawayPostgres.start();

	@Test
	void everyWriteSettlesWithinTheBoundWhileTheServerHangsAndWritesResumeAfterIt() {
		Duration batchBound = DeepstreamStoragePoolSettings.settleBound(SOCKET_TIMEOUT, CONNECTION_TIMEOUT, MAX_RETRIES,
				BACKOFF, BACKOFF);
		// a write waits for its table's batch in flight, then for its own, each settling within the bound
		Duration writeBound = batchBound.multipliedBy(2).plus(WRITE_INTERVAL).plusSeconds(1);
		String schema = "hung";
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + postgres.jdbcUrl(),
					"deepstream.storage.user=" + postgres.username(), "deepstream.storage.schema=" + schema,
					"deepstream.storage.write-interval=" + WRITE_INTERVAL.toMillis() + "ms",
					"deepstream.storage.flush-threads=" + TABLES,
					"deepstream.storage.pool.socket-timeout=" + SOCKET_TIMEOUT.toSeconds() + "s",
					"deepstream.storage.pool.connection-timeout=" + CONNECTION_TIMEOUT.toMillis() + "ms",
					"deepstream.storage.max-retries=" + MAX_RETRIES,
					"deepstream.storage.retry-initial-backoff=" + BACKOFF.toMillis() + "ms",
					"deepstream.storage.retry-max-backoff=" + BACKOFF.toMillis() + "ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				try (WriteLoad load = new WriteLoad(context.getBean(PostgresRecordStore.class), WRITERS, TABLES, 100)) {
					load.start();
					load.awaitAcknowledged(3000);

					long frozen = System.nanoTime();
					postgres.suspendAll();
					long resumed;
					try {
						// the writers go on; every write accepted before the freeze, and some after it, settle
						await().atMost(writeBound.plusSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
							List<WriteLoad.Write> writes = load.writes();
							return writes.stream().filter((write) -> write.acceptedAt < frozen).allMatch(HungServerIT::settled)
									&& writes.stream().filter((write) -> write.acceptedAt > frozen + batchBound.toNanos())
										.anyMatch(HungServerIT::settled);
						});
					}
					finally {
						resumed = System.nanoTime();
						postgres.resumeAll();
					}
					List<WriteLoad.Write> duringFreeze = load.writes()
						.stream()
						.filter((write) -> write.acceptedAt < resumed && settled(write) && write.settledAt > frozen)
						.toList();
					long firstFailure = duringFreeze.stream().filter((write) -> write.failed).mapToLong((write) -> write.settledAt)
						.min().orElseThrow();
					long lastAcknowledgedInFreeze = duringFreeze.stream()
						.filter((write) -> !write.failed && write.settledAt < resumed)
						.mapToLong((write) -> write.settledAt)
						.max()
						.orElse(frozen);
					long longestWait = duringFreeze.stream()
						.mapToLong((write) -> write.settledAt - Math.max(write.acceptedAt, frozen))
						.max()
						.orElseThrow();

					load.recovery("whole server SIGSTOP", frozen, resumed, List.of(), 0);
					long firstCommitAfter = load.writes().stream()
						.filter((write) -> write.acceptedAt > resumed && write.committedAt != 0)
						.mapToLong((write) -> write.committedAt)
						.min()
						.orElseThrow();
					load.awaitAcknowledged(load.acknowledged() + 3000);
					WriteLoad.Outcome outcome = load.finish();
					outcome.assertVisible(WriteLoad.rows(postgres::connect, schema, TABLES));

					// none hung: every write that waited on the frozen server settled within the bound
					assertThat(WriteLoad.millis(longestWait)).isLessThanOrEqualTo(writeBound.toMillis());
					assertThat(outcome.failed()).isNotEmpty();
					System.out.printf("HungServerIT: %d writes by %d threads to %d tables; server frozen for %d ms;"
							+ " %d acknowledged (all stored with their value), %d failed with RecordWriteException, 0 left"
							+ " hanging; %d batch retries. Socket timeout %d s, connection timeout %d ms, %d retry: bound"
							+ " per batch %d ms, per write %d ms. First write failed %d ms after the freeze, last write"
							+ " acknowledged during it at +%d ms; longest a write waited on the frozen server %d ms;"
							+ " first write committed %d ms after SIGCONT%n", outcome.total(), WRITERS, TABLES,
							WriteLoad.millis(resumed - frozen), outcome.acknowledged().size(), outcome.failed().size(),
							load.store.statistics().retries(), SOCKET_TIMEOUT.toSeconds(), CONNECTION_TIMEOUT.toMillis(),
							MAX_RETRIES, batchBound.toMillis(), writeBound.toMillis(), WriteLoad.millis(firstFailure - frozen),
							WriteLoad.millis(lastAcknowledgedInFreeze - frozen), WriteLoad.millis(longestWait),
							WriteLoad.millis(firstCommitAfter - resumed));
				}
			});
	}

	private static boolean settled(WriteLoad.Write write) {
		return write.settledAt != 0 || write.refused != null;
	}

}
