package io.deepstream.storage.listen;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.deepstream.storage.test.ThrowawayPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listener's connection dies without a close, on a throwaway cluster whose processes the tests
 * may freeze and kill (what {@link ListenerReconnectIT} does with {@code pg_terminate_backend} and a
 * TCP proxy, done here to the server itself): its backend frozen ({@code SIGSTOP}, the socket stays
 * open and silent), its backend killed ({@code SIGKILL}, which makes PostgreSQL restart every
 * session and run crash recovery), and the whole server frozen. Each is noticed within
 * {@link ListenerOptions#maxDetectionTime()} and recovered from without help; the times are printed.
 */
class ListenerServerFaultsIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Scheduling on a busy machine; the bound itself is not stretched. */
	private static final Duration MARGIN = Duration.ofSeconds(1);

	private static final String SCHEMA = "faults";

	private static ThrowawayPostgres postgres;

	private final AtomicInteger attempts = new AtomicInteger();

	private final List<MissedNotifications> missed = new CopyOnWriteArrayList<>();

	private final Recorder recorder = new Recorder();

	private NotificationListener listener;

	@BeforeAll
	static void startPostgres() {
		postgres = ThrowawayPostgres.start();
	}

	@AfterAll
	static void stopPostgres() {
		if (postgres != null) {
			postgres.close();
		}
	}

	@BeforeEach
	void serverRuns() {
		if (!postgres.isRunning()) {
			postgres.startAgain();
		}
	}

	@AfterEach
	void closeListener() {
		if (this.listener != null) {
			this.listener.close();
		}
	}

	@Test
	void aFrozenBackendIsNoticedWithinTheDefaultBoundAndReplaced() throws Exception {
		ListenerOptions options = ListenerOptions.builder().schema(SCHEMA).build();
		int frozen = startListening(options, "");
		long start = System.nanoTime();
		postgres.suspend(frozen);
		try {
			await().atMost(options.maxDetectionTime().plus(MARGIN))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> this.listener.state().reconnects() == 1);
			Duration recovered = since(start);
			assertMissedOnce();
			assertThat(this.listener.state().backendPid()).isNotEqualTo(frozen);
			assertNotificationsArrive("after-freeze");
			System.out.printf("ListenerServerFaultsIT: backend %d frozen (SIGSTOP): a new connection listened after %d ms"
					+ " (maxDetectionTime %d ms)%n", frozen, recovered.toMillis(), options.maxDetectionTime().toMillis());
		}
		finally {
			postgres.resume(frozen);
		}
	}

	@Test
	void aKilledBackendIsNoticedAtOnceAndTheListenerReturnsAfterCrashRecovery() throws Exception {
		ListenerOptions options = ListenerOptions.builder()
			.schema(SCHEMA)
			.reconnectInitialBackoff(Duration.ofMillis(50))
			.reconnectMaxBackoff(Duration.ofMillis(400))
			.build();
		int killed = startListening(options, "");
		long start = System.nanoTime();
		postgres.killBackend(killed);
		await().atMost(options.maxDetectionTime().plus(MARGIN))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> !this.listener.state().connected());
		Duration noticed = since(start);
		await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> this.listener.state().reconnects() == 1);
		Duration recovered = since(start);
		assertThat(noticed).isLessThan(options.maxDetectionTime());
		assertMissedOnce();
		assertNotificationsArrive("after-kill");
		System.out.printf("ListenerServerFaultsIT: backend %d killed (SIGKILL, the server restarts every session and"
				+ " recovers): noticed after %d ms, listening again after %d ms%n", killed, noticed.toMillis(),
				recovered.toMillis());
	}

	@Test
	void aFrozenServerIsNoticedAndConnectAttemptsToItDoNotHang() throws Exception {
		ListenerOptions options = ListenerOptions.builder()
			.schema(SCHEMA)
			.pollTimeout(Duration.ofMillis(200))
			.validationInterval(Duration.ofSeconds(1))
			.validationTimeout(Duration.ofMillis(500))
			.reconnectInitialBackoff(Duration.ofMillis(100))
			.reconnectMaxBackoff(Duration.ofMillis(500))
			.build();
		// The cluster has no SSL; without SSL first, an attempt times out once rather than twice.
		int backend = startListening(options, "?sslmode=disable");
		int server = postgres.serverPid();
		int attemptsBefore = this.attempts.get();
		long start = System.nanoTime();
		postgres.suspend(server);
		postgres.suspend(backend);
		try {
			await().atMost(options.maxDetectionTime().plus(MARGIN))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !this.listener.state().connected());
			Duration noticed = since(start);
			// The kernel accepts the connection; nobody answers the start-up message. An attempt must
			// give up (and be followed by another) rather than wait for ever.
			await().atMost(options.maxDetectionTime().plus(ListenerConnectionFactory.CONNECT_TIMEOUT).plus(MARGIN))
				.until(() -> this.attempts.get() >= attemptsBefore + 2);
			System.out.printf("ListenerServerFaultsIT: server frozen (postmaster and backend, SIGSTOP): noticed after %d ms"
					+ " (maxDetectionTime %d ms); the first connect attempt to it gave up, the next began at %d ms%n",
					noticed.toMillis(), options.maxDetectionTime().toMillis(), since(start).toMillis());
		}
		finally {
			postgres.resume(server);
			postgres.resume(backend);
		}
		long thawed = System.nanoTime();
		await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> this.listener.state().reconnects() == 1);
		assertMissedOnce();
		assertNotificationsArrive("after-thaw");
		System.out.printf("ListenerServerFaultsIT: server thawed: listening again after %d ms%n", since(thawed).toMillis());
	}

	/**
	 * Starts a listener on the cluster that counts its connect attempts, and waits until it listens.
	 * @return the backend pid of its connection
	 */
	private int startListening(ListenerOptions options, String urlParameters) throws Exception {
		ListenerConnectionFactory real = ListenerConnectionFactory.of(postgres.jdbcUrl() + urlParameters,
				postgres.username(), postgres.password());
		this.listener = new NotificationListener(() -> {
			this.attempts.incrementAndGet();
			return real.open();
		}, options);
		this.listener.onMissedNotifications(this.missed::add);
		CompletableFuture<Void> listening = this.listener.subscribe(this.recorder);
		this.listener.start();
		listening.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertNotificationsArrive("before");
		Integer pid = this.listener.state().backendPid();
		assertThat(pid).isNotNull();
		return pid;
	}

	/**
	 * Waits for the missed-notifications event itself: the reconnect counter goes up just before the
	 * event is delivered, on the listener thread, so reading the events right after the counter races.
	 */
	private void assertMissedOnce() {
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.missed).hasSize(1));
		assertThat(this.missed.get(0).schemas()).containsExactly(SCHEMA);
		assertThat(this.missed.get(0).to()).isAfterOrEqualTo(this.missed.get(0).from());
	}

	private void assertNotificationsArrive(String id) {
		postgres.execute("SELECT pg_notify(?, ?)", SCHEMA, "INSERT:t:" + id);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.recorder.notifications).extracting(Notification::id).contains(id));
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
