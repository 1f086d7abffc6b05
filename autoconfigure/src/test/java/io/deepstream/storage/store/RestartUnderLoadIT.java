package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.MissedNotifications;
import io.deepstream.storage.listen.Notification;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.test.ThrowawayPostgres;
import io.deepstream.storage.test.ThrowawayPostgres.StopMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL (a throwaway cluster of its own) goes away in the middle of a sustained write load of
 * several threads on several tables: a clean restart ({@code pg_ctl restart -m fast}: every session is
 * terminated), a crash ({@code pg_ctl stop -m immediate}, then a start with crash recovery), and an
 * outage longer than the retries last. The restart and the crash are shorter than the retries, so
 * they cost no write at all; after the long outage every acknowledged write is in the database with
 * its value, every other write failed visibly (its future with {@link TransientRecordWriteException},
 * or with {@link CommitOutcomeUnknownException} when its batch's {@code COMMIT} was in flight as the
 * server went away, or its {@code set} at once with {@link BufferFullException}), none is left hanging, writes resumed without
 * help, and the listener reconnected and reported the gap each time. Recovery times are printed.
 */
class RestartUnderLoadIT {

	private static final int WRITERS = 4;

	private static final int TABLES = 6;

	private static final Duration WAIT = WriteLoad.WAIT;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static ThrowawayPostgres postgres;

	@BeforeAll
	static void startPostgres() {
		postgres = ThrowawayPostgres.start();
	}

	@BeforeEach
	void serverRuns() {
		// a test that failed while the server was down leaves it down
		if (!postgres.isRunning()) {
			postgres.startAgain();
		}
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void acknowledgedWritesSurviveAFastRestartAndACrash() throws Exception {
		String schema = "restarts";
		List<Long> missedAt = new CopyOnWriteArrayList<>();
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		List<Notification> heard = new CopyOnWriteArrayList<>();
		List<String> outages = new ArrayList<>();
		try (HikariDataSource dataSource = postgres.newDataSource(4);
				NotificationListener listener = new NotificationListener(
						ListenerConnectionFactory.of(postgres.jdbcUrl(), postgres.username(), postgres.password()),
						ListenerOptions.builder().schema(schema).build());
				WriteLoad load = new WriteLoad(new PostgresRecordStore(dataSource, MAPPER,
						RecordStoreOptions.builder().schema(schema).writeInterval(Duration.ofMillis(50)).build()), WRITERS, TABLES, 100)) {
			listener.onMissedNotifications((gap) -> {
				missedAt.add(System.nanoTime());
				missed.add(gap);
			});
			CompletableFuture<Void> listening = listener.subscribe(heard::add);
			listener.start();
			listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			load.start();
			load.awaitAcknowledged(5000);

			// A clean restart: every session is terminated, open transactions roll back.
			long injected = System.nanoTime();
			postgres.restart(StopMode.FAST);
			outages.add(load.recovery("pg_ctl restart -m fast", injected, System.nanoTime(), missedAt, 1));

			// A crash: every process quits at once; the start runs crash recovery. The load must meet
			// the dead server before it comes back.
			long retries = load.store.statistics().retries();
			injected = System.nanoTime();
			postgres.kill();
			await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> load.store.statistics().retries() > retries
					|| dataSource.getHikariPoolMXBean().getThreadsAwaitingConnection() > 0);
			postgres.startAgain();
			outages.add(load.recovery("pg_ctl stop -m immediate, then start", injected, System.nanoTime(), missedAt, 2));

			load.awaitAcknowledged(load.acknowledged() + 5000);
			WriteLoad.Outcome outcome = load.finish();
			outcome.assertVisible(WriteLoad.rows(postgres::connect, schema, TABLES));
			assertThat(outcome.acknowledged()).hasSizeGreaterThan(10_000);
			// Both outages are shorter than the retries last: they cost no write at all.
			assertThat(outcome.failed()).as("writes failed although the retries outlast the outage").isEmpty();
			assertThat(outcome.refused()).as("writes refused although the buffer blocks").isEmpty();
			assertThat(load.store.statistics().writesFailed()).isZero();
			// a batch whose statements failed was retried, or one whose COMMIT failed was asked about
			assertThat(load.store.statistics().retries() + load.store.statistics().commitsInDoubt())
				.as("the outages were met").isPositive();

			// the listener is back for good: a new write is announced
			assertThat(listener.state().reconnects()).isEqualTo(2);
			assertThat(missed).hasSize(2).allSatisfy((gap) -> assertThat(gap.schemas()).containsExactly(schema));
			load.store.set("after/restarts", 1, MAPPER.createObjectNode()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(heard).contains(new Notification(ChangeKind.INSERT, schema, "after", "restarts")));
			report(outcome, load, outages);
		}
	}

	@Test
	void anOutageLongerThanTheRetriesFailsWritesVisiblyAndWritesResumeAfterIt() throws Exception {
		String schema = "outage";
		try (HikariDataSource dataSource = postgres.newDataSource(4)) {
			// Give up soon: a connection within 250 ms, two retries; a small buffer that fails when full.
			dataSource.setConnectionTimeout(250);
			RecordStoreOptions options = RecordStoreOptions.builder()
				.schema(schema)
				.writeInterval(Duration.ofMillis(50))
				.maxRetries(2)
				.retryInitialBackoff(Duration.ofMillis(50))
				.maxBatchSize(500)
				.maxBufferedWrites(1000)
				.whenBufferFull(WhenBufferFull.FAIL)
				.build();
			try (WriteLoad load = new WriteLoad(new PostgresRecordStore(dataSource, MAPPER, options), WRITERS, TABLES, 400)) {
				load.start();
				load.awaitAcknowledged(5000);
				long injected = System.nanoTime();
				postgres.stop(StopMode.FAST);
				await().atMost(WAIT).until(() -> load.failed() >= 500 && load.refused() >= 50);
				postgres.startAgain();
				List<String> outages = List.of(load.recovery("pg_ctl stop -m fast, start after writes failed", injected,
						System.nanoTime(), List.of(), 0));
				load.awaitAcknowledged(load.acknowledged() + 5000);
				WriteLoad.Outcome outcome = load.finish();
				outcome.assertVisible(WriteLoad.rows(postgres::connect, schema, TABLES));
				assertThat(outcome.failed()).hasSizeGreaterThanOrEqualTo(500);
				assertThat(outcome.refused()).hasSizeGreaterThanOrEqualTo(50);
				report(outcome, load, outages);
			}
		}
	}

	private static void report(WriteLoad.Outcome outcome, WriteLoad load, List<String> outages) {
		System.out.printf("RestartUnderLoadIT: %d writes by %d threads to %d tables of schema %s: %d acknowledged (all"
				+ " stored with their value), %d failed (TransientRecordWriteException or CommitOutcomeUnknownException), %d refused at once with"
				+ " BufferFullException, 0 left hanging; %d batch retries%n", outcome.total(), WRITERS, TABLES,
				load.store.options().schema(), outcome.acknowledged().size(), outcome.failed().size(), outcome.refused().size(),
				load.store.statistics().retries());
		outages.forEach((outage) -> System.out.println("RestartUnderLoadIT: " + outage));
	}

}
