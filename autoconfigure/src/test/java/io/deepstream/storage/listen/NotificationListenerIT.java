package io.deepstream.storage.listen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.NotificationSwitches;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The listener against a real PostgreSQL: what it delivers for writes through the store and for raw
 * SQL, in which order, and how subscribing, unsubscribing and stopping behave.
 */
@ExtendWith(TestSchema.class)
class NotificationListenerIT {

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
	void writesThroughTheStoreArriveInCommitOrderWithTableAndId() throws Exception {
		NotificationListener listener = started(options());
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		this.store.set("cars/bmw", 1, Map.of("color", "blue")).join();
		this.store.set("cars/a:b:c", 1, Map.of()).join();
		this.store.set("cars/it's", 1, Map.of()).join();
		this.store.set("cars/x/y", 1, Map.of()).join();
		this.store.set("cars/bmw", 2, Map.of("color", "red")).join();
		this.store.delete("cars/a:b:c").join();
		this.store.delete("cars/it's").join();
		this.store.delete("cars/x/y").join();
		this.store.delete("cars/bmw").join();

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).containsExactly(
				table(ChangeKind.CREATE_TABLE, "cars"),
				record(ChangeKind.INSERT, "cars", "bmw"),
				record(ChangeKind.INSERT, "cars", "a:b:c"),
				record(ChangeKind.INSERT, "cars", "it's"),
				record(ChangeKind.INSERT, "cars", "x/y"),
				record(ChangeKind.UPDATE, "cars", "bmw"),
				record(ChangeKind.DELETE, "cars", "a:b:c"),
				record(ChangeKind.DELETE, "cars", "it's"),
				record(ChangeKind.DELETE, "cars", "x/y"),
				record(ChangeKind.DELETE, "cars", "bmw"),
				table(ChangeKind.DESTROY_TABLE, "cars")));
		assertThat(recorder.notifications.get(2).recordName()).isEqualTo("cars/a:b:c");
		assertThat(recorder.threads).singleElement().asString().startsWith("deepstream-listener-");
		assertThat(listener.state().notificationsReceived()).isEqualTo(11);
		assertThat(listener.state().lastNotification()).isNotNull();
	}

	@Test
	void rawSqlFromAnotherConnectionProducesTheSameNotificationsAsTheStore() throws Exception {
		this.store.set("planes/seed", 1, Map.of()).join(); // the store creates the table and its trigger
		NotificationListener listener = started(options());
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		String planes = Identifiers.qualify(this.schema, "planes");
		try (Connection connection = this.database.connect()) {
			update(connection, "INSERT INTO " + planes + " (id, version, val) VALUES (?, 1, '{}')", "x:y");
			update(connection, "INSERT INTO " + planes + " (id, version, val) VALUES (?, 1, '{}')", "o'brien");
			update(connection, "UPDATE " + planes + " SET val = '{\"a\":1}', version = 2 WHERE id = ?", "x:y");
			connection.setAutoCommit(false);
			update(connection, "INSERT INTO " + planes + " (id, version, val) VALUES (?, 1, '{}')", "rolled-back");
			connection.rollback();
			update(connection, "INSERT INTO " + planes + " (id, version, val) VALUES (?, 1, '{}')", "tx:1");
			update(connection, "INSERT INTO " + planes + " (id, version, val) VALUES (?, 1, '{}')", "tx:2");
			connection.commit();
			connection.setAutoCommit(true);
			update(connection, "DELETE FROM " + planes + " WHERE id = ?", "o'brien");
		}
		this.store.set("planes/x:y", 3, Map.of()).join(); // the same record, through the store

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).containsExactly(
				record(ChangeKind.INSERT, "planes", "x:y"),
				record(ChangeKind.INSERT, "planes", "o'brien"),
				record(ChangeKind.UPDATE, "planes", "x:y"),
				record(ChangeKind.INSERT, "planes", "tx:1"),
				record(ChangeKind.INSERT, "planes", "tx:2"),
				record(ChangeKind.DELETE, "planes", "o'brien"),
				record(ChangeKind.UPDATE, "planes", "x:y")));
		assertThat(recorder.notifications.get(2)).isEqualTo(recorder.notifications.get(6));
	}

	@Test
	void payloadsNotInTheFormatAreCountedAndSkipped() throws Exception {
		NotificationListener listener = started(options());
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		notify(this.schema, "hello");
		notify(this.schema, "INSERT:cars");
		notify(this.schema, "insert:cars:1");
		notify(this.schema, "INSERT:raw:after:garbage");

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications)
			.containsExactly(record(ChangeKind.INSERT, "raw", "after:garbage")));
		ListenerState state = listener.state();
		assertThat(state.unparseable()).isEqualTo(3);
		assertThat(state.notificationsReceived()).isEqualTo(4);
		assertThat(state.connected()).isTrue();
		assertThat(state.reconnects()).isZero();
	}

	@Test
	void aCallbackThatThrowsIsLoggedAndTheOthersStillRun() throws Exception {
		NotificationListener listener = started(options());
		AtomicInteger failures = new AtomicInteger();
		// unchecked, and what Kotlin code, Lombok's @SneakyThrows or a recursive event publisher can throw
		Consumer<Notification> failing = (notification) -> {
			switch (failures.incrementAndGet()) {
				case 1 -> throw new IllegalStateException("boom (expected by the test)");
				case 2 -> NotificationListenerIT.<RuntimeException>sneakyThrow(new java.io.IOException("checked (expected by the test)"));
				default -> throw new StackOverflowError("expected by the test");
			}
		};
		Recorder recorder = new Recorder();
		listener.subscribe(failing).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		notify(this.schema, "INSERT:t:1");
		notify(this.schema, "INSERT:t:2");
		notify(this.schema, "INSERT:t:3");

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).containsExactly(
				record(ChangeKind.INSERT, "t", "1"), record(ChangeKind.INSERT, "t", "2"), record(ChangeKind.INSERT, "t", "3")));
		assertThat(failures).hasValue(3);
		assertThat(listener.isRunning()).isTrue();
		assertThat(listener.state().connected()).isTrue();
		assertThat(listener.state().reconnects()).isZero();
	}

	@Test
	void aListenerWhoseThreadDiedOfAnErrorItCannotSurviveSaysSoAndStartsAgain() throws Exception {
		NotificationListener listener = started(options());
		AtomicInteger calls = new AtomicInteger();
		Recorder recorder = new Recorder();
		listener.subscribe((notification) -> {
			if (calls.incrementAndGet() == 1) {
				throw new InternalError("the JVM's own failure (expected by the test)");
			}
		}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		notify(this.schema, "INSERT:t:1");

		// the error ends the thread, which Awaitility would otherwise report as this test's failure
		await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> !listener.isRunning());
		assertThat(listener.state().running()).isFalse();
		listener.start();
		await().atMost(WAIT).until(() -> listener.state().connected() && listener.state().channels().contains(this.schema));
		notify(this.schema, "INSERT:t:2");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).contains(record(ChangeKind.INSERT, "t", "2")));
		assertThat(listener.isRunning()).isTrue();
	}

	@Test
	void stopFromACallbackReturnsAtOnceAndTheThreadEnds() throws Exception {
		NotificationListener listener = started(options().stopTimeout(Duration.ofSeconds(30)));
		CompletableFuture<Duration> stopTook = new CompletableFuture<>();
		AtomicInteger threads = new AtomicInteger();
		Recorder recorder = new Recorder();
		listener.subscribe((notification) -> {
			threads.incrementAndGet();
			long start = System.nanoTime();
			listener.stop();
			stopTook.complete(Duration.ofNanos(System.nanoTime() - start));
		}).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		notify(this.schema, "INSERT:t:1");

		assertThat(stopTook.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isLessThan(Duration.ofSeconds(5));
		assertThat(listener.isRunning()).isFalse();
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.threads).hasSize(1));
		String threadName = recorder.threads.iterator().next();
		await().atMost(WAIT).until(() -> threadState(threadName) == null);
		assertThat(threads).hasValue(1);
	}

	@SuppressWarnings("unchecked")
	private static <T extends Throwable> void sneakyThrow(Throwable failure) throws T {
		throw (T) failure;
	}

	@Test
	void unsubscribeStopsDeliveryAndTheLastSubscriberGoingUnlistens() throws Exception {
		String other = this.schema + "_b";
		NotificationListener listener = started(options());
		Recorder dropped = new Recorder();
		Recorder kept = new Recorder();
		Recorder otherOnly = new Recorder();
		// dropped before kept: delivery runs in subscription order, so once kept has a notification,
		// dropped has had its chance at it
		listener.subscribe(dropped).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		listener.subscribe(kept).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		listener.subscribe(otherOnly, other).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(listener.state().channels()).containsExactlyInAnyOrder(this.schema, other);

		notify(this.schema, "INSERT:t:1");
		notify(other, "INSERT:t:o1");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(kept.notifications).hasSize(1);
			assertThat(otherOnly.notifications).hasSize(1);
		});
		assertThat(dropped.notifications).hasSize(1);

		assertThat(listener.unsubscribe(dropped)).isTrue();
		assertThat(listener.unsubscribe(dropped)).isFalse();
		notify(this.schema, "INSERT:t:2");
		await().atMost(WAIT).untilAsserted(() -> assertThat(kept.notifications).hasSize(2));
		assertThat(dropped.notifications).hasSize(1);
		assertThat(listener.state().channels()).containsExactlyInAnyOrder(this.schema, other);

		// the last subscriber of `other` goes: its channel is UNLISTENed, so PostgreSQL stops sending
		assertThat(listener.unsubscribe(otherOnly, other)).isTrue();
		await().atMost(WAIT).until(() -> listener.state().channels().equals(Set.of(this.schema)));
		long received = listener.state().notificationsReceived();
		notify(other, "INSERT:t:o2"); // committed first: it would arrive first if still LISTENed
		notify(this.schema, "INSERT:t:3");
		await().atMost(WAIT).untilAsserted(() -> assertThat(kept.notifications).hasSize(3));
		assertThat(listener.state().notificationsReceived()).isEqualTo(received + 1);
		assertThat(otherOnly.notifications).hasSize(1);

		listener.unsubscribeAll();
		await().atMost(WAIT).until(() -> listener.state().channels().isEmpty());
		received = listener.state().notificationsReceived();
		Recorder sentinel = new Recorder();
		String third = this.schema + "_c";
		listener.subscribe(sentinel, third).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		notify(this.schema, "INSERT:t:4");
		notify(third, "INSERT:t:s");
		await().atMost(WAIT).untilAsserted(() -> assertThat(sentinel.notifications).hasSize(1));
		assertThat(listener.state().notificationsReceived()).isEqualTo(received + 1);
		assertThat(kept.notifications).hasSize(3);
	}

	@Test
	void severalSchemasAtOnceEachCallbackGetsItsOwn() throws Exception {
		String other = this.schema + "_b";
		NotificationListener listener = started(options());
		Recorder mine = new Recorder();
		Recorder theirs = new Recorder();
		Recorder alsoMine = new Recorder();
		listener.subscribe(mine).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		listener.subscribe(theirs, other).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		// the schema's LISTEN is in place already: the future is complete at once
		assertThat(listener.subscribe(alsoMine, this.schema)).isCompleted();
		assertThat(listener.state().channels()).containsExactlyInAnyOrder(this.schema, other);

		notify(other, "INSERT:t:1");
		notify(this.schema, "INSERT:t:2");
		notify(other, "DELETE:t:1");

		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(theirs.notifications).containsExactly(new Notification(ChangeKind.INSERT, other, "t", "1"),
					new Notification(ChangeKind.DELETE, other, "t", "1"));
			assertThat(mine.notifications).containsExactly(record(ChangeKind.INSERT, "t", "2"));
			assertThat(alsoMine.notifications).containsExactly(record(ChangeKind.INSERT, "t", "2"));
		});
	}

	@Test
	void subscribingBeforeStartListensOnStart() throws Exception {
		NotificationListener listener = listener(options());
		Recorder recorder = new Recorder();
		CompletableFuture<Void> listening = listener.subscribe(recorder);
		assertThat(listening).isNotDone();
		assertThat(listener.state().running()).isFalse();
		assertThat(listener.state().connected()).isFalse();
		assertThat(listener.state().backendPid()).isNull();

		listener.start();
		listening.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(listener.state().connected()).isTrue();
		assertThat(listener.state().connectedSince()).isNotNull();
		assertThat(listener.state().backendPid()).isNotNull();

		this.store.set("early/bird", 1, Map.of()).join();
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications)
			.containsExactly(table(ChangeKind.CREATE_TABLE, "early"), record(ChangeKind.INSERT, "early", "bird")));
	}

	@Test
	@Timeout(30) // the failure this test guards against is a wait for ever
	void waitingForASubscriptionBeforeStartFailsAtOnceInsteadOfForEver() throws Exception {
		NotificationListener listener = listener(options());
		Recorder recorder = new Recorder();
		CompletableFuture<Void> listening = listener.subscribe(recorder);
		CompletableFuture<String> derived = listening.thenApply((ok) -> "listening");
		assertThatIllegalStateException().isThrownBy(listening::join).withMessageContaining("call start()");
		assertThatIllegalStateException().isThrownBy(listening::get).withMessageContaining("call start()");
		assertThatIllegalStateException().isThrownBy(derived::join).withMessageContaining("call start()");
		assertThat(listening).as("still waiting for its LISTEN").isNotDone();

		// once started, the same future completes, and joining it waits for the LISTEN
		listener.start();
		listening.join();
		assertThat(derived.join()).isEqualTo("listening");
		assertThat(listener.state().channels()).containsExactly(this.schema);
		notify(this.schema, "INSERT:t:1");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(1));

		// stopped again, a new subscription cannot be waited for either
		listener.stop();
		CompletableFuture<Void> other = listener.subscribe(new Recorder(), this.schema + "_other");
		assertThatIllegalStateException().isThrownBy(other::join);
	}

	@Test
	void startWhileThePreviousThreadIsStillStoppingFailsUntilItHasEnded() throws Exception {
		NotificationListener listener = listener(options().stopTimeout(Duration.ofMillis(200)));
		CountDownLatch inCallback = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Recorder recorder = new Recorder();
		listener.subscribe((notification) -> {
			recorder.accept(notification);
			if (notification.id() != null && notification.id().equals("blocking")) {
				inCallback.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		listener.start();
		await().atMost(WAIT).until(() -> listener.state().channels().contains(this.schema));
		notify(this.schema, "INSERT:t:blocking");
		assertThat(inCallback.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		String thread = recorder.threads.iterator().next();

		listener.stop(); // gives up waiting after the stop timeout: the thread is in the callback
		assertThat(listener.isRunning()).isFalse();
		assertThat(threadState(thread)).isNotNull();
		assertThatIllegalStateException().isThrownBy(listener::start)
			.withMessageContaining(thread)
			.withMessageContaining("has not ended yet");
		assertThat(listener.isRunning()).isFalse();

		release.countDown();
		await().atMost(WAIT).until(() -> threadState(thread) == null);
		listener.start();
		await().atMost(WAIT).until(() -> listener.state().channels().contains(this.schema));
		notify(this.schema, "INSERT:t:after");
		await().atMost(WAIT).untilAsserted(
				() -> assertThat(recorder.notifications).extracting(Notification::id).containsExactly("blocking", "after"));
	}

	@Test
	void switchedOffKindsAreReceivedButNotDelivered() throws Exception {
		NotificationListener listener = started(
				options().notifications(new NotificationSwitches(false, true, true, false, true)));
		Recorder recorder = new Recorder();
		listener.subscribe(recorder).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

		this.store.set("quiet/a", 1, Map.of()).join(); // CREATE_TABLE (off), INSERT
		this.store.set("quiet/a", 2, Map.of()).join(); // UPDATE (off)
		this.store.delete("quiet/a").join(); // DELETE, DESTROY_TABLE

		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).containsExactly(
				record(ChangeKind.INSERT, "quiet", "a"), record(ChangeKind.DELETE, "quiet", "a"),
				table(ChangeKind.DESTROY_TABLE, "quiet")));
		assertThat(listener.state().notificationsReceived()).isEqualTo(5);
	}

	@Test
	void stopClosesTheConnectionAndReturnsPromptlyWhileAPollBlocks() throws Exception {
		// Polls block for a minute and the thread may take 30 s to join: only closing the connection
		// can make stop() return quickly.
		NotificationListener listener = listener(options().pollTimeout(Duration.ofMinutes(1))
			.validationInterval(Duration.ofMinutes(5))
			.stopTimeout(Duration.ofSeconds(30)));
		Recorder recorder = new Recorder();
		CompletableFuture<Void> listening = listener.subscribe(recorder);
		listener.start();
		listening.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		notify(this.schema, "INSERT:t:1");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(1));
		String threadName = recorder.threads.iterator().next();
		Integer pid = listener.state().backendPid();
		assertThat(pid).isNotNull();
		// the thread is back in a one-minute poll now
		await().atMost(WAIT).until(() -> isPolling(threadName));

		long start = System.nanoTime();
		listener.stop();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(took).isLessThan(Duration.ofSeconds(3));
		assertThat(threadState(threadName)).isNull();
		assertThat(listener.isRunning()).isFalse();
		assertThat(listener.state().connected()).isFalse();
		assertThat(listener.state().channels()).isEmpty();
		await().atMost(WAIT).until(() -> !backendExists(pid));
	}

	@Test
	void aSuppliedThreadFactoryMakesTheListenerThreadOfEveryStart() throws Exception {
		AtomicInteger made = new AtomicInteger();
		ThreadFactory threadFactory = (runnable) -> new Thread(runnable, "app-listener-" + made.incrementAndGet());
		NotificationListener listener = fixture.track(new NotificationListener(ListenerFixture.connections(this.database),
				options().build(), threadFactory));
		Recorder recorder = new Recorder();
		CompletableFuture<Void> listening = listener.subscribe(recorder);
		listener.start();
		listening.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		notify(this.schema, "INSERT:t:1");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(1));

		listener.stop();
		listener.start();
		await().atMost(WAIT).until(() -> listener.state().channels().contains(this.schema) && listener.state().connected());
		notify(this.schema, "INSERT:t:2");
		await().atMost(WAIT).untilAsserted(() -> assertThat(recorder.notifications).hasSize(2));

		assertThat(recorder.threads).containsExactlyInAnyOrder("app-listener-1", "app-listener-2");
		assertThat(made).hasValue(2);
	}

	@Test
	void closeFailsSubscriptionsStillWaitingAndRefusesNewOnes() {
		NotificationListener listener = listener(options());
		CompletableFuture<Void> listening = listener.subscribe(new Recorder());
		listener.close();
		assertThat(listening).isCompletedExceptionally();
		assertThatIllegalStateException()
			.isThrownBy(() -> listener.subscribe(new Recorder()));
		assertThatIllegalStateException().isThrownBy(listener::start);
	}

	private ListenerOptions.Builder options() {
		return ListenerFixture.options(this.schema);
	}

	private NotificationListener listener(ListenerOptions.Builder options) {
		return fixture.track(new NotificationListener(ListenerFixture.connections(this.database), options.build()));
	}

	private NotificationListener started(ListenerOptions.Builder options) {
		NotificationListener listener = listener(options);
		listener.start();
		return listener;
	}

	private Notification record(ChangeKind kind, String table, String id) {
		return new Notification(kind, this.schema, table, id);
	}

	private Notification table(ChangeKind kind, String table) {
		return new Notification(kind, this.schema, table, null);
	}

	private void notify(String channel, String payload) {
		this.database.execute("SELECT pg_notify(?, ?)", channel, payload);
	}

	private boolean backendExists(int pid) {
		try (Connection connection = this.database.connect();
				PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
			query.setInt(1, pid);
			try (var rs = query.executeQuery()) {
				rs.next();
				return rs.getInt(1) > 0;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Thread.@Nullable State threadState(String name) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(name) && thread.isAlive())
			.map(Thread::getState)
			.findFirst()
			.orElse(null);
	}

	private static boolean isPolling(String threadName) {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().getName().equals(threadName))
			.flatMap((entry) -> Arrays.stream(entry.getValue()))
			.anyMatch((frame) -> frame.getMethodName().equals("getNotifications"));
	}

	private static void update(Connection connection, String sql, String id) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, id);
			statement.executeUpdate();
		}
	}

}
