package io.deepstream.storage.listen;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener survives the real world: a terminated backend, a half-open connection, a database
 * that is not there yet, a restart. Each time it reports what may have been missed.
 */
@ExtendWith(TestSchema.class)
class ListenerReconnectIT {

	private static final Duration WAIT = ListenerFixture.WAIT;

	@RegisterExtension
	static final ListenerFixture fixture = new ListenerFixture();

	private String schema;

	private TestDatabase database;

	private PostgresRecordStore store;

	@BeforeEach
	void startStore(TestSchema.Name name) {
		this.schema = name.value();
		this.database = name.database();
		this.store = fixture.store(this.schema, UnaryOperator.identity());
	}

	@Test
	void terminatedBackendReconnectsReportsTheGapAndDeliversLaterWrites() throws Exception {
		// The second connection waits at a gate, so the test can write while nobody listens.
		CountDownLatch reopening = new CountDownLatch(1);
		CountDownLatch gate = new CountDownLatch(1);
		AtomicInteger opens = new AtomicInteger();
		ListenerConnectionFactory real = realFactory();
		NotificationListener listener = listener(() -> {
			if (opens.incrementAndGet() == 2) {
				reopening.countDown();
				try {
					if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
						throw new SQLException("test gate was never opened");
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new SQLException("interrupted at the test gate", ex);
				}
			}
			return real.open();
		}, options());
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		listener.onMissedNotifications(missed::add);
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		this.store.set("boats/before", 1, Map.of()).join();
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(2));
		Integer pid = listener.state().backendPid();
		assertThat(pid).isNotNull();

		Instant killed = Instant.now();
		this.database.execute("SELECT pg_terminate_backend(?)", pid);
		assertThat(reopening.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		ListenerState down = listener.state();
		assertThat(down.connected()).isFalse();
		assertThat(down.channels()).isEmpty();
		assertThat(down.backendPid()).isNull();
		assertThat(down.running()).isTrue();
		this.store.set("boats/during", 1, Map.of()).join(); // nobody listens: lost
		Instant written = Instant.now();
		assertThat(missed).isEmpty();
		gate.countDown();

		await().atMost(WAIT).untilAsserted(() -> assertThat(missed).hasSize(1));
		MissedNotifications gap = missed.get(0);
		assertThat(gap.schemas()).containsExactly(this.schema);
		assertThat(gap.from()).isBeforeOrEqualTo(killed);
		assertThat(gap.to()).isAfterOrEqualTo(written);
		ListenerState up = listener.state();
		assertThat(up.connected()).isTrue();
		assertThat(up.reconnects()).isEqualTo(1);
		assertThat(up.backendPid()).isNotNull().isNotEqualTo(pid);
		assertThat(up.channels()).containsExactly(this.schema);
		assertThat(up.connectedSince()).isAfterOrEqualTo(written);

		this.store.set("boats/after", 1, Map.of()).join();
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).containsExactly(
				table(ChangeKind.CREATE_TABLE, "boats"), record(ChangeKind.INSERT, "boats", "before"),
				record(ChangeKind.INSERT, "boats", "after")));
		assertThat(missed).hasSize(1);
	}

	@Test
	void subscribeAndUnsubscribeWhileDisconnectedTakeEffectOnTheNextConnection() throws Exception {
		String other = this.schema + "_other";
		CountDownLatch reopening = new CountDownLatch(1);
		CountDownLatch gate = new CountDownLatch(1);
		NotificationListener listener = listener(gatedSecondConnection(reopening, gate), options());
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		listener.onMissedNotifications(missed::add);
		Recorder staying = new Recorder();
		Recorder leaving = new Recorder();
		listener.subscribe(staying).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		listener.subscribe(leaving).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		Integer pid = listener.state().backendPid();

		this.database.execute("SELECT pg_terminate_backend(?)", pid);
		assertThat(reopening.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		assertThat(listener.state().connected()).isFalse();
		// while nobody listens: one subscriber goes, one comes for another schema
		assertThat(listener.unsubscribe(leaving)).isTrue();
		Recorder arriving = new Recorder();
		CompletableFuture<Void> arrived = listener.subscribe(arriving, other);
		assertThat(arrived).as("no LISTEN without a connection").isNotDone();
		gate.countDown();

		arrived.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		await().atMost(WAIT).untilAsserted(() -> assertThat(missed).hasSize(1));
		assertThat(missed.get(0).schemas()).as("only what was listened before").containsExactly(this.schema);
		assertThat(listener.state().channels()).containsExactlyInAnyOrder(this.schema, other);
		this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:mine");
		this.database.execute("SELECT pg_notify(?, ?)", other, "INSERT:t:theirs");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(staying.notifications).extracting(Notification::id).containsExactly("mine");
			assertThat(arriving.notifications).extracting(Notification::id).containsExactly("theirs");
		});
		assertThat(leaving.notifications).isEmpty();

		// and the last subscriber of a schema leaving while connected UNLISTENs it
		listener.unsubscribe(arriving, other);
		await().atMost(WAIT).until(() -> listener.state().channels().equals(Set.of(this.schema)));
	}

	@Test
	void aMissedNotificationsCallbackThatThrowsDoesNotStopTheOthersOrTheListener() throws Exception {
		NotificationListener listener = listener(realFactory(), options());
		AtomicInteger thrown = new AtomicInteger();
		listener.onMissedNotifications((gap) -> {
			thrown.incrementAndGet();
			throw new IllegalStateException("a resync that fails (test)");
		});
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		listener.onMissedNotifications(missed::add);
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		for (int round = 1; round <= 2; round++) {
			Integer pid = listener.state().backendPid();
			this.database.execute("SELECT pg_terminate_backend(?)", pid);
			int expected = round;
			await().atMost(WAIT).untilAsserted(() -> assertThat(missed).hasSize(expected));
			assertThat(thrown).hasValue(round);
			this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:" + round);
			await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(expected));
		}
		assertThat(listener.state().reconnects()).isEqualTo(2);
		assertThat(listener.state().running()).isTrue();
	}

	@Test
	void terminatedBackendWithoutHelpReconnectsOnItsOwnWithinTheDetectionBound() throws Exception {
		ListenerOptions options = options().build();
		NotificationListener listener = listener(realFactory(), options);
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		listener.onMissedNotifications(missed::add);
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		for (int round = 1; round <= 3; round++) {
			Integer pid = listener.state().backendPid();
			long terminated = System.nanoTime();
			this.database.execute("SELECT pg_terminate_backend(?)", pid);
			int expected = round;
			await().atMost(options.maxDetectionTime())
				.pollInterval(Duration.ofMillis(10))
				.untilAsserted(() -> assertThat(missed).hasSize(expected));
			System.out.printf("ListenerReconnectIT: backend terminated, listening again and gap reported after %d ms%n",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - terminated));
			assertThat(listener.state().reconnects()).isEqualTo(round);
			this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:" + round);
			await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(expected));
		}
		assertThat(recorder.notifications).extracting(Notification::id).containsExactly("1", "2", "3");
	}

	@Test
	void halfOpenConnectionIsNoticedWithinTheDetectionBound() throws Exception {
		URI target = URI.create(this.database.url().substring("jdbc:".length()));
		ListenerOptions options = options().pollTimeout(Duration.ofMillis(200))
			.validationInterval(Duration.ofSeconds(1))
			.validationTimeout(Duration.ofMillis(500))
			.build();
		try (TcpProxy proxy = TcpProxy.to(target.getHost(), target.getPort())) {
			String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getRawPath()
					+ ((target.getRawQuery() != null) ? "?" + target.getRawQuery() : "");
			ListenerConnectionFactory real = ListenerConnectionFactory.of(proxied, this.database.username(),
					this.database.password());
			// The listener opens a new connection as soon as it has given the old one up: that is detection.
			List<Long> opened = new CopyOnWriteArrayList<>();
			NotificationListener listener = listener(() -> {
				opened.add(System.nanoTime());
				return real.open();
			}, options);
			List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
			listener.onMissedNotifications(missed::add);
			Recorder recorder = new Recorder();
			listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:before");
			await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(1));

			// No FIN, no RST, no error: without validation this connection would look fine for ever.
			assertThat(opened).hasSize(1);
			proxy.freezeOpenConnections();
			long frozen = System.nanoTime();
			await().atMost(options.maxDetectionTime()).pollInterval(Duration.ofMillis(10)).until(() -> opened.size() == 2);
			Duration detected = Duration.ofNanos(opened.get(1) - frozen);
			assertThat(detected).as("the documented bound, validationInterval + pollTimeout + validationTimeout")
				.isLessThanOrEqualTo(options.maxDetectionTime());
			await().atMost(WAIT).untilAsserted(() -> assertThat(missed).hasSize(1));
			assertThat(missed.get(0).schemas()).containsExactly(this.schema);
			assertThat(listener.state().reconnects()).isOne();
			System.out.printf("ListenerReconnectIT: half-open connection given up after %d ms (bound %d ms), listening"
					+ " again after %d ms%n", detected.toMillis(), options.maxDetectionTime().toMillis(),
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen));

			this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:after");
			await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).extracting(Notification::id)
				.containsExactly("before", "after"));
		}
	}

	@Test
	void aDatabaseThatIsNotThereYetIsRetriedWithBackoff() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		ListenerConnectionFactory real = realFactory();
		NotificationListener listener = new NotificationListener(() -> {
			if (attempts.incrementAndGet() <= 3) {
				throw new SQLException("connection refused (test)", "08001");
			}
			return real.open();
		}, options().reconnectInitialBackoff(Duration.ofMillis(100)).reconnectMaxBackoff(Duration.ofMillis(400)).build());
		fixture.track(listener);
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		listener.onMissedNotifications(missed::add);
		Recorder recorder = new Recorder();
		CompletableFuture<Void> listening = listener.subscribe(recorder);

		long start = System.nanoTime();
		listener.start();
		listening.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(attempts).hasValue(4);
		// pauses of 100, 200 and 400 ms between the four attempts
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700));
		assertThat(listener.state().connected()).isTrue();
		assertThat(listener.state().reconnects()).isZero();
		assertThat(missed).isEmpty(); // nothing was listened before, so nothing was missed
		this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:1");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(1));
	}

	@Test
	void stopWakesTheThreadFromABackoffPause() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		NotificationListener listener = new NotificationListener(() -> {
			attempts.incrementAndGet();
			throw new SQLException("connection refused (test)", "08001");
		}, options().reconnectInitialBackoff(Duration.ofSeconds(60))
			.reconnectMaxBackoff(Duration.ofSeconds(60))
			.stopTimeout(Duration.ofSeconds(30))
			.build());
		fixture.track(listener);
		listener.start();
		await().atMost(WAIT).until(() -> attempts.get() == 1); // now pausing for a minute

		long start = System.nanoTime();
		listener.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(listener.isRunning()).isFalse();
		assertThat(attempts).hasValue(1);
	}

	@Test
	void restartReportsTheGapWhileStopped() throws Exception {
		NotificationListener listener = listener(realFactory(), options());
		List<MissedNotifications> missed = new CopyOnWriteArrayList<>();
		listener.onMissedNotifications(missed::add);
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:1");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(1));

		Instant stopped = Instant.now();
		listener.stop();
		this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:while-stopped");
		Instant written = Instant.now();
		listener.start();

		await().atMost(WAIT).untilAsserted(() -> assertThat(missed).hasSize(1));
		assertThat(missed.get(0).schemas()).isEqualTo(Set.of(this.schema));
		assertThat(missed.get(0).from()).isBeforeOrEqualTo(stopped);
		assertThat(missed.get(0).to()).isAfterOrEqualTo(written);
		assertThat(listener.state().reconnects()).isZero();
		this.database.execute("SELECT pg_notify(?, ?)", this.schema, "INSERT:t:2");
		await().atMost(WAIT).untilAsserted(
				() -> assertThat(recorder.notifications).extracting(Notification::id).containsExactly("1", "2"));
	}

	private ListenerOptions.Builder options() {
		return ListenerFixture.options(this.schema);
	}

	/** Real connections; the second attempt waits at {@code gate}, after counting {@code reopening} down. */
	private ListenerConnectionFactory gatedSecondConnection(CountDownLatch reopening, CountDownLatch gate) {
		AtomicInteger opens = new AtomicInteger();
		ListenerConnectionFactory real = realFactory();
		return () -> {
			if (opens.incrementAndGet() == 2) {
				reopening.countDown();
				try {
					if (!gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
						throw new SQLException("test gate was never opened");
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new SQLException("interrupted at the test gate", ex);
				}
			}
			return real.open();
		};
	}

	private ListenerConnectionFactory realFactory() {
		return ListenerFixture.connections(this.database);
	}

	private NotificationListener listener(ListenerConnectionFactory factory, ListenerOptions.Builder options) {
		return listener(factory, options.build());
	}

	private NotificationListener listener(ListenerConnectionFactory factory, ListenerOptions options) {
		NotificationListener listener = new NotificationListener(factory, options);
		fixture.track(listener);
		listener.start();
		return listener;
	}

	private Notification record(ChangeKind kind, String table, String id) {
		return new Notification(kind, this.schema, table, id);
	}

	private Notification table(ChangeKind kind, String table) {
		return new Notification(kind, this.schema, table, null);
	}

}
