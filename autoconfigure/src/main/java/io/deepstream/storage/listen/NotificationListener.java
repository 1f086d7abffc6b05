package io.deepstream.storage.listen;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.deepstream.storage.core.Identifiers;
import org.jspecify.annotations.Nullable;
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
 * listener.subscribe((notification) -> System.out.println(notification.kind() + " " + notification.recordName()));
 * listener.onMissedNotifications((missed) -> resync(missed.schemas()));
 * listener.start();
 * ...
 * listener.close();
 * }</pre>
 *
 * <h2>Threading and order</h2>
 * One thread of its own ({@code deepstream-listener-<n>}, or one made by the
 * {@link ThreadFactory} given to the constructor) owns the connection: it runs
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

	private final ThreadFactory threadFactory;

	private final Subscriptions subscriptions = new Subscriptions();

	private final NotificationDispatcher dispatcher;

	private final OutageTracker outages;

	private final Object lifecycleMonitor = new Object();

	/** The running loop; null when stopped. Written under the lifecycle monitor. */
	private volatile @Nullable ListenerLoop running;

	/** The loop of the latest run, possibly still ending, for {@link #state()}. */
	private volatile @Nullable ListenerLoop latest;

	/** The thread of the latest run, possibly still ending. Written under the lifecycle monitor. */
	private volatile @Nullable Thread thread;

	/** Guarded by the lifecycle monitor. */
	private boolean closed;

	/**
	 * Creates a listener that runs on a daemon thread of its own, {@code deepstream-listener-<n>};
	 * nothing happens until {@link #start()}.
	 * @param connectionFactory opens the dedicated connection, again after each loss
	 * @param options the options
	 */
	public NotificationListener(ListenerConnectionFactory connectionFactory, ListenerOptions options) {
		this(connectionFactory, options, daemonThreadNamed("deepstream-listener-" + instances.incrementAndGet()));
	}

	/**
	 * Creates a listener whose thread comes from the given factory (for thread names, a thread group
	 * or priority of your own); nothing happens until {@link #start()}. Each {@code start()} asks it
	 * for one thread, which owns the connection until {@code stop()}.
	 * @param connectionFactory opens the dedicated connection, again after each loss
	 * @param options the options
	 * @param threadFactory makes the listener thread
	 */
	public NotificationListener(ListenerConnectionFactory connectionFactory, ListenerOptions options,
			ThreadFactory threadFactory) {
		this.connectionFactory = connectionFactory;
		this.options = options;
		this.threadFactory = threadFactory;
		this.dispatcher = new NotificationDispatcher(this.subscriptions, options.notifications());
		this.outages = new OutageTracker(options.reconnectMaxBackoff());
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
		ListenFuture<Void> future = new ListenFuture<>(this::isRunning);
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
		this.dispatcher.addMissedCallback(callback);
	}

	/**
	 * Removes a callback registered with {@link #onMissedNotifications}.
	 * @param callback the callback
	 * @return whether it was registered
	 */
	public boolean removeMissedNotificationsCallback(Consumer<MissedNotifications> callback) {
		return this.dispatcher.removeMissedCallback(callback);
	}

	/**
	 * The current state, for health indicators, metrics and tests.
	 * @return a snapshot
	 */
	public ListenerState state() {
		ListenerLoop loop = this.latest;
		ListenerSession session = (loop != null) ? loop.connected() : null;
		return new ListenerState(isRunning(), session != null, this.subscriptions.channels(),
				this.dispatcher.lastNotification(), this.dispatcher.received(), this.dispatcher.unparseable(),
				this.outages.reconnects(),
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
			if (isRunning()) {
				return;
			}
			// a run whose thread died of what it could not survive (ListenerLoop logged it) is over
			this.running = null;
			Thread previous = this.thread;
			if (previous != null && !join(previous, this.options.stopTimeout())) {
				throw new IllegalStateException("The listener thread of the previous run (" + previous.getName()
						+ ") has not ended yet: a callback or a connect attempt is blocking it");
			}
			ListenerLoop next = new ListenerLoop(this.connectionFactory, this.options, this.subscriptions, this.dispatcher,
					this.outages);
			Thread started = this.threadFactory.newThread(next);
			if (started == null) {
				throw new IllegalStateException("The thread factory " + this.threadFactory + " made no listener thread");
			}
			this.thread = started;
			this.running = next;
			this.latest = next;
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
			ListenerLoop loop = this.running;
			Thread runningThread = this.thread;
			if (loop == null || runningThread == null) {
				return;
			}
			this.running = null;
			loop.halt();
			if (runningThread == Thread.currentThread()) {
				// stop() from a callback (an @EventListener that closes the context): the thread ends
				// once the callback returns, and cannot wait for itself
				return;
			}
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
			this.dispatcher.clearMissedCallbacks();
		}
	}

	/**
	 * Whether the listener is started and its thread alive: false after {@link #stop()}, and after the
	 * thread died of an error it could not survive (out of memory), when {@link #start()} starts it anew.
	 */
	@Override
	public boolean isRunning() {
		Thread current = this.thread;
		// not yet started counts: start() sets the run before it starts the thread
		return this.running != null && current != null && current.getState() != Thread.State.TERMINATED;
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

	private static ThreadFactory daemonThreadNamed(String name) {
		return (runnable) -> {
			Thread thread = new Thread(runnable, name);
			// The listener only reads: one left unclosed must not keep the JVM from exiting.
			thread.setDaemon(true);
			return thread;
		};
	}

}
