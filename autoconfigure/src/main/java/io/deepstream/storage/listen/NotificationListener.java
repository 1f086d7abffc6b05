package io.deepstream.storage.listen;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.deepstream.storage.core.Identifiers;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Listens to the deepstream notifications of one or more schemas on a dedicated connection (see
 * {@link ListenerConnectionFactory} for why it is not a pooled one) and hands them to subscribers.
 * Works with plain {@code new}:
 *
 * <pre>{@code
 * NotificationListener listener = new NotificationListener(
 *         ListenerConnectionFactory.of("jdbc:postgresql://db/app", "user", "secret"), ListenerOptions.defaults());
 * listener.subscribe((notification) -> System.out.println(notification.kind() + " " + notification.key()));
 * listener.onMissedNotifications((missed) -> resync(missed.schemas()));
 * listener.start();
 * ...
 * listener.close();
 * }</pre>
 *
 * <h2>Threading and order</h2>
 * One thread of its own ({@code deepstream-listener-<n>}) owns the connection: it runs
 * {@code LISTEN "<schema>"} (one per schema, {@code UNLISTEN} when the schema's last subscriber goes),
 * waits for notifications at most {@code pollTimeout} at a time, and between two waits applies the
 * subscribe and unsubscribe calls made by other threads (JDBC connections are not thread-safe), so
 * such a call takes effect on the connection within {@code pollTimeout}. Callbacks run on that
 * thread, one at a time, in the order PostgreSQL delivered the notifications (the order in which
 * the writing transactions committed); never on the thread of the code that wrote. A callback that
 * throws is logged and the others still run; a slow callback delays every later notification.
 *
 * <h2>Connection loss</h2>
 * A dead connection is noticed within {@link ListenerOptions#maxDetectionTime()}, a half-open one
 * included. The listener then closes it and reconnects: at once if the lost connection had lived
 * for at least {@code validationInterval}, otherwise after a pause; failed attempts are repeated
 * with capped exponential backoff. Only the changes of state are logged: the loss, the first
 * failed attempt, the reconnect. Once every channel is LISTENed again, the
 * {@linkplain #onMissedNotifications missed-notifications callbacks} are told for which schemas and
 * between which instants notifications may have been lost (PostgreSQL does not keep them for a
 * session that is gone). The same happens after {@code stop()} and {@code start()}.
 *
 * <h2>Lifecycle</h2>
 * As a {@link SmartLifecycle} in phase {@link #PHASE} it starts before the record store and stops
 * after it. {@link #start()} returns at once; the thread connects (and keeps trying) in the
 * background. {@link #stop()} closes the connection, which wakes a blocked wait, and waits at most
 * {@code stopTimeout} for the thread. Subscribing before {@code start()} is allowed; the returned
 * future completes once the listener has started and placed the LISTEN, so waiting for it with
 * {@code join()} before {@code start()} fails at once (it could only wait for ever).
 */
public class NotificationListener implements SmartLifecycle, AutoCloseable {

	/**
	 * Lifecycle phase: lower than the record store's ({@code DEFAULT_PHASE - 4096}), so the listener
	 * starts before the store and stops after it has flushed.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private static final AtomicInteger instances = new AtomicInteger();

	private final ListenerConnectionFactory connectionFactory;

	private final ListenerOptions options;

	private final Subscriptions subscriptions = new Subscriptions();

	private final List<Consumer<MissedNotifications>> missedCallbacks = new CopyOnWriteArrayList<>();

	private final UnparseablePayloads unparseable = new UnparseablePayloads();

	private final AtomicLong notificationsReceived = new AtomicLong();

	private final AtomicLong reconnects = new AtomicLong();

	private final String threadName;

	private final Object lifecycleMonitor = new Object();

	/** The running worker; null when stopped. Written under the lifecycle monitor. */
	private volatile @Nullable Worker worker;

	/** The thread of the latest worker, possibly still ending. Guarded by the lifecycle monitor. */
	private @Nullable Thread thread;

	/** Guarded by the lifecycle monitor. */
	private boolean closed;

	/** The connection whose LISTENs are in place; null while (re)connecting or stopped. */
	private volatile @Nullable ListenerSession connected;

	private volatile @Nullable Instant lastNotification;

	// Confined to the listener thread; handed from one worker to the next by the join in start().

	/** Notifications of these schemas may have been missed since the instant in it; null if none. */
	private @Nullable Outage outage;

	/** Whether an established connection was lost and has not been replaced yet. */
	private boolean lost;

	/**
	 * Creates a listener; nothing happens until {@link #start()}.
	 * @param connectionFactory opens the dedicated connection, again after each loss
	 * @param options the options
	 */
	public NotificationListener(ListenerConnectionFactory connectionFactory, ListenerOptions options) {
		this.connectionFactory = connectionFactory;
		this.options = options;
		int instance = instances.incrementAndGet();
		this.threadName = "deepstream-listener-" + instance;
	}

	/**
	 * Subscribes to the notifications of the default schema ({@link ListenerOptions#schema()}).
	 * @param callback called on the listener thread for each notification of an enabled kind
	 * @return a future that completes once the schema's LISTEN is in place (at once if it already is);
	 * it completes on the listener thread, so dependants must not block
	 */
	public CompletableFuture<Void> subscribe(Consumer<Notification> callback) {
		return subscribe(callback, this.options.schema());
	}

	/**
	 * Subscribes to the notifications of a schema. Subscribing the same callback to the same schema
	 * twice changes nothing. Allowed before {@link #start()}: the LISTEN then happens on start.
	 * @param callback called on the listener thread for each notification of an enabled kind
	 * @param schema the schema, whose name is the channel
	 * @return a future that completes once the schema's LISTEN is in place (at once if it already is);
	 * it is cancelled if the schema loses all its subscribers first, and fails if the listener is
	 * closed first. Only a started listener places the LISTEN, so {@code join()} or {@code get()} on
	 * this future (or on one derived from it) while the listener is not running throws
	 * {@link IllegalStateException} at once instead of waiting for ever: call {@link #start()} first,
	 * or wait with a timeout
	 * @throws IllegalArgumentException if the schema name is invalid
	 * @throws IllegalStateException if the listener is closed
	 */
	public CompletableFuture<Void> subscribe(Consumer<Notification> callback, String schema) {
		Identifiers.requireValidSchema(schema);
		CompletableFuture<Void> listening = this.subscriptions.add(schema, callback);
		if (listening.isDone()) {
			return listening;
		}
		ListenFuture<Void> future = new ListenFuture<>(this);
		listening.whenComplete((ok, failure) -> {
			if (failure == null) {
				future.complete(null);
			}
			else {
				future.completeExceptionally(failure);
			}
		});
		return future;
	}

	/**
	 * Unsubscribes a callback from the default schema. It is called no more for notifications that
	 * arrive afterwards; if it was the schema's last subscriber, the schema is UNLISTENed within
	 * {@code pollTimeout}.
	 * @param callback the callback
	 * @return whether it was subscribed
	 */
	public boolean unsubscribe(Consumer<Notification> callback) {
		return unsubscribe(callback, this.options.schema());
	}

	/**
	 * Unsubscribes a callback from a schema, as {@link #unsubscribe(Consumer)}.
	 * @param callback the callback
	 * @param schema the schema
	 * @return whether it was subscribed to that schema
	 */
	public boolean unsubscribe(Consumer<Notification> callback, String schema) {
		return this.subscriptions.remove(schema, callback);
	}

	/** Unsubscribes every callback of the default schema, which is then UNLISTENed. */
	public void unsubscribeAll() {
		unsubscribeAll(this.options.schema());
	}

	/**
	 * Unsubscribes every callback of a schema, which is then UNLISTENed.
	 * @param schema the schema
	 */
	public void unsubscribeAll(String schema) {
		this.subscriptions.removeAll(schema);
	}

	/**
	 * Registers a callback for when notifications may have been missed (after a reconnect, or a
	 * restart). It runs on the listener thread before any notification of the new connection is
	 * delivered.
	 * @param callback the callback
	 */
	public void onMissedNotifications(Consumer<MissedNotifications> callback) {
		this.missedCallbacks.add(callback);
	}

	/**
	 * Removes a callback registered with {@link #onMissedNotifications}.
	 * @param callback the callback
	 * @return whether it was registered
	 */
	public boolean removeMissedNotificationsCallback(Consumer<MissedNotifications> callback) {
		return this.missedCallbacks.remove(callback);
	}

	/**
	 * The current state, for health indicators, metrics and tests.
	 * @return a snapshot
	 */
	public ListenerState state() {
		ListenerSession session = this.connected;
		return new ListenerState(isRunning(), session != null, this.subscriptions.channels(), this.lastNotification,
				this.notificationsReceived.get(), this.unparseable.count(), this.reconnects.get(),
				(session != null) ? session.connectedAt() : null, (session != null) ? session.backendPid() : null);
	}

	/**
	 * The options this listener runs with.
	 * @return the options
	 */
	public ListenerOptions options() {
		return this.options;
	}

	/**
	 * Starts the listener thread, which connects in the background. Idempotent while running.
	 * @throws IllegalStateException if the listener is closed, or the thread of an earlier run has not
	 * ended yet
	 */
	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.closed) {
				throw new IllegalStateException("The listener is closed");
			}
			if (this.worker != null) {
				return;
			}
			Thread previous = this.thread;
			if (previous != null && !join(previous, this.options.stopTimeout())) {
				throw new IllegalStateException("The listener thread of the previous run (" + previous.getName()
						+ ") has not ended yet: a callback or a connect attempt is blocking it");
			}
			Worker next = new Worker();
			Thread started = new Thread(next, this.threadName);
			started.setDaemon(true);
			this.worker = next;
			this.thread = started;
			started.start();
		}
	}

	/**
	 * Stops the listener: closes the connection, which wakes the thread if it waits for notifications,
	 * and waits at most {@code stopTimeout} for the thread to end. Subscriptions are kept for a later
	 * {@link #start()}.
	 */
	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			Worker running = this.worker;
			Thread runningThread = this.thread;
			if (running == null || runningThread == null) {
				return;
			}
			this.worker = null;
			running.halt();
			if (!join(runningThread, this.options.stopTimeout())) {
				logger.warn("The listener thread {} did not end within {} of stop(): a callback or a connect attempt "
						+ "is blocking it. It ends on its own, closing its connection, once that returns.",
						runningThread.getName(), this.options.stopTimeout());
			}
		}
	}

	/** Stops the listener for good: later {@code start()} and {@code subscribe()} calls fail. */
	@Override
	public void close() {
		synchronized (this.lifecycleMonitor) {
			stop();
			this.closed = true;
			this.subscriptions.close();
			this.missedCallbacks.clear();
		}
	}

	@Override
	public boolean isRunning() {
		return this.worker != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private static boolean join(Thread thread, Duration timeout) {
		try {
			thread.join(Math.max(1, timeout.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !thread.isAlive();
	}

	/**
	 * The future of a subscribe that waits for its LISTEN. Only a running listener places it, so a
	 * thread that blocks on it while the listener is not running, typically before {@code start()} in
	 * the same thread, would wait for ever: {@link #join()} and {@link #get()} fail at once instead.
	 * Futures derived from it ({@code thenRun}...) behave the same.
	 */
	private static final class ListenFuture<T> extends CompletableFuture<T> {

		private final NotificationListener listener;

		ListenFuture(NotificationListener listener) {
			this.listener = listener;
		}

		@Override
		public T join() {
			requireWaitable();
			return super.join();
		}

		@Override
		public T get() throws InterruptedException, ExecutionException {
			requireWaitable();
			return super.get();
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new ListenFuture<>(this.listener);
		}

		private void requireWaitable() {
			if (!isDone() && !this.listener.isRunning()) {
				throw new IllegalStateException("The listener is not started, so the LISTEN this future waits for "
						+ "is not placed: call start() before waiting for a subscription (or wait with a timeout)");
			}
		}

	}

	/**
	 * Notifications of {@code schemas} may have been missed since {@code from}.
	 */
	private record Outage(Set<String> schemas, Instant from) {

		Outage including(Set<String> more) {
			Set<String> all = new LinkedHashSet<>(this.schemas);
			all.addAll(more);
			return new Outage(all, this.from);
		}

	}

	/** One run of the listener thread, from {@code start()} to {@code stop()}. */
	private final class Worker implements Runnable {

		private final Object pauseMonitor = new Object();

		private final ReconnectBackoff backoff = new ReconnectBackoff(NotificationListener.this.options.reconnectInitialBackoff(),
				NotificationListener.this.options.reconnectMaxBackoff());

		private volatile boolean stopping;

		/** The open connection, established or not, for {@link #halt()} to close. */
		private volatile @Nullable ListenerSession session;

		/** The start of the latest round trip or poll that proved the connection was receiving. */
		private Instant lastGood = Instant.now();

		/** Whether a connect attempt failed since the last established connection (for logging). */
		private boolean failing;

		/** Asks the thread to end: wakes it from a pause, and from a poll by closing the connection. */
		void halt() {
			this.stopping = true;
			ListenerSession current = this.session;
			if (current != null) {
				current.close();
			}
			synchronized (this.pauseMonitor) {
				this.pauseMonitor.notifyAll();
			}
		}

		@Override
		public void run() {
			try {
				while (!this.stopping) {
					runSession();
				}
			}
			catch (Error ex) {
				logger.error("The listener thread ended unexpectedly; notifications are no longer received", ex);
				throw ex;
			}
			logger.debug("Listener thread stopped");
		}

		/** Opens a connection, listens and polls until it fails or the listener stops. */
		private void runSession() {
			ListenerSession opened;
			try {
				opened = ListenerSession.open(NotificationListener.this.connectionFactory, NotificationListener.this.options);
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.stopping) {
					connectFailed(ex);
					pause(this.backoff.next());
				}
				return;
			}
			this.session = opened;
			this.lastGood = opened.connectedAt();
			@Nullable Exception failure = null;
			boolean established = false;
			try {
				if (this.stopping) {
					return; // halt() may have missed this session: the finally block closes it
				}
				// Visible as connected before the LISTENs complete their subscribers' futures, so that a
				// subscriber resumed by its future sees the connection (and its backend) in state().
				NotificationListener.this.connected = opened;
				apply(opened);
				established(opened);
				established = true;
				poll(opened);
			}
			catch (SQLException | RuntimeException ex) {
				failure = ex;
			}
			finally {
				this.session = null;
				NotificationListener.this.connected = null;
				opened.close();
				Set<String> gone = NotificationListener.this.subscriptions.connectionLost();
				if (!gone.isEmpty()) {
					Outage current = NotificationListener.this.outage;
					NotificationListener.this.outage = (current != null) ? current.including(gone)
							: new Outage(gone, this.lastGood);
				}
			}
			if (failure != null && !this.stopping) {
				if (established) {
					connectionLost(opened, failure);
				}
				else {
					connectFailed(failure);
					pause(this.backoff.next());
				}
			}
		}

		private void poll(ListenerSession session) throws SQLException {
			long validationInterval = NotificationListener.this.options.validationInterval().toNanos();
			long lastContact = System.nanoTime();
			while (!this.stopping) {
				if (apply(session)) {
					lastContact = System.nanoTime();
				}
				Instant pollStart = Instant.now();
				PGNotification[] notifications = session.poll();
				if (notifications.length > 0) {
					lastContact = System.nanoTime();
					this.lastGood = pollStart;
					deliver(notifications);
				}
				else if (System.nanoTime() - lastContact >= validationInterval && !this.stopping) {
					Instant before = Instant.now();
					if (!session.isValid()) {
						throw new SQLException("The listener connection did not answer a validation round trip within "
								+ NotificationListener.this.options.validationTimeout(), "08006");
					}
					lastContact = System.nanoTime();
					this.lastGood = before;
				}
			}
		}

		/**
		 * Runs the LISTENs and UNLISTENs that the subscriptions need.
		 * @return whether any statement ran
		 */
		private boolean apply(ListenerSession session) throws SQLException {
			Subscriptions.Plan plan = NotificationListener.this.subscriptions.plan();
			for (String channel : plan.toUnlisten()) {
				Instant before = Instant.now();
				session.unlisten(channel);
				this.lastGood = before;
				NotificationListener.this.subscriptions.unlistened(channel);
				logger.debug("UNLISTEN {}", channel);
			}
			for (String channel : plan.toListen()) {
				Instant before = Instant.now();
				session.listen(channel);
				this.lastGood = before;
				NotificationListener.this.subscriptions.listened(channel);
				logger.debug("LISTEN {}", channel);
			}
			return !plan.isEmpty();
		}

		private void established(ListenerSession session) {
			Instant listening = Instant.now();
			NotificationListener.this.connected = session;
			Set<String> channels = NotificationListener.this.subscriptions.listening();
			if (NotificationListener.this.lost) {
				NotificationListener.this.lost = false;
				NotificationListener.this.reconnects.incrementAndGet();
				logger.info("Listener reconnected to PostgreSQL (backend {}), listening to {}", session.backendPid(), channels);
			}
			else if (this.failing) {
				logger.info("Listener connected to PostgreSQL (backend {}), listening to {}", session.backendPid(), channels);
			}
			else {
				logger.debug("Listener connected to PostgreSQL (backend {}), listening to {}", session.backendPid(), channels);
			}
			this.failing = false;
			Outage missed = NotificationListener.this.outage;
			NotificationListener.this.outage = null;
			if (missed != null) {
				Set<String> schemas = new LinkedHashSet<>(missed.schemas());
				schemas.retainAll(channels);
				if (!schemas.isEmpty()) {
					// The wall clock may have stepped back meanwhile; the interval must not be negative.
					Instant to = listening.isBefore(missed.from()) ? missed.from() : listening;
					notifyMissed(new MissedNotifications(schemas, missed.from(), to));
				}
			}
		}

		private void connectionLost(ListenerSession session, Exception failure) {
			NotificationListener.this.lost = true;
			logger.warn("Listener lost its connection to PostgreSQL (backend {}): {}; reconnecting", session.backendPid(),
					failure.getMessage());
			// A connection that failed soon after it was made may fail again: do not hammer the server.
			Duration lived = Duration.between(session.connectedAt(), Instant.now());
			if (lived.compareTo(NotificationListener.this.options.validationInterval()) >= 0) {
				this.backoff.reset();
			}
			else {
				pause(this.backoff.next());
			}
		}

		private void connectFailed(Exception failure) {
			if (!this.failing) {
				this.failing = true;
				logger.warn("Listener cannot connect to PostgreSQL: {}; retrying with backoff up to {} "
						+ "(further failures are logged at DEBUG)", failure.getMessage(),
						NotificationListener.this.options.reconnectMaxBackoff());
			}
			else {
				logger.debug("Listener still cannot connect to PostgreSQL: {}", failure.getMessage());
			}
		}

		private void deliver(PGNotification[] notifications) {
			Instant now = Instant.now();
			for (PGNotification received : notifications) {
				NotificationListener.this.notificationsReceived.incrementAndGet();
				NotificationListener.this.lastNotification = now;
				String schema = received.getName();
				NotificationParser.Result result = NotificationParser.parse(schema, received.getParameter());
				if (result instanceof NotificationParser.Rejected rejected) {
					NotificationListener.this.unparseable.report(schema, rejected);
					continue;
				}
				Notification notification = ((NotificationParser.Parsed) result).notification();
				if (!NotificationListener.this.options.notifications().isEnabled(notification.kind())) {
					logger.trace("Not delivering {}: its kind is switched off", notification);
					continue;
				}
				for (Consumer<Notification> callback : NotificationListener.this.subscriptions.subscribers(schema)) {
					try {
						callback.accept(notification);
					}
					catch (RuntimeException | LinkageError | AssertionError ex) {
						logger.error("Notification callback {} failed for {}", callback, notification, ex);
					}
				}
			}
		}

		private void notifyMissed(MissedNotifications missed) {
			logger.info("Notifications of {} may have been missed between {} and {}", missed.schemas(), missed.from(),
					missed.to());
			for (Consumer<MissedNotifications> callback : NotificationListener.this.missedCallbacks) {
				try {
					callback.accept(missed);
				}
				catch (RuntimeException | LinkageError | AssertionError ex) {
					logger.error("Missed-notifications callback {} failed for {}", callback, missed, ex);
				}
			}
		}

		/** Sleeps, unless {@link #halt()} comes first. */
		private void pause(Duration pause) {
			long deadline = System.nanoTime() + pause.toNanos();
			synchronized (this.pauseMonitor) {
				while (!this.stopping) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						return;
					}
					try {
						TimeUnit.NANOSECONDS.timedWait(this.pauseMonitor, remaining);
					}
					catch (InterruptedException ex) {
						// Nobody but stop() has business with this thread, and it does not interrupt.
						return;
					}
				}
			}
		}

	}

}
