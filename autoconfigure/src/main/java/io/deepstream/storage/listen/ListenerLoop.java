package io.deepstream.storage.listen;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the listener thread, from {@code start()} to {@code stop()}: opens the dedicated
 * connection, places the LISTENs and UNLISTENs the subscriptions need, polls, validates the
 * connection when it is idle, and when it fails opens a new one, pausing with capped exponential
 * backoff. What arrives goes to the {@link NotificationDispatcher}; the outages go to the
 * {@link OutageTracker}. Everything but {@link #halt()} and {@link #connected()} runs on the
 * listener thread.
 */
final class ListenerLoop implements Runnable {

	// The listener's category, so that one logging level covers everything the listener does.
	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private final ListenerConnectionFactory connectionFactory;

	private final ListenerOptions options;

	private final Subscriptions subscriptions;

	private final NotificationDispatcher dispatcher;

	private final OutageTracker outages;

	private final ReconnectBackoff backoff;

	private final Object pauseMonitor = new Object();

	private volatile boolean stopping;

	/** The open connection, established or not, for {@link #halt()} to close. */
	private volatile @Nullable ListenerSession session;

	/** The connection whose LISTENs are being or have been placed; null while (re)connecting or stopped. */
	private volatile @Nullable ListenerSession connected;

	/** The start of the latest round trip or poll that proved the connection was receiving. */
	private Instant lastGood = Instant.now();

	ListenerLoop(ListenerConnectionFactory connectionFactory, ListenerOptions options, Subscriptions subscriptions,
			NotificationDispatcher dispatcher, OutageTracker outages) {
		this.connectionFactory = connectionFactory;
		this.options = options;
		this.subscriptions = subscriptions;
		this.dispatcher = dispatcher;
		this.outages = outages;
		this.backoff = new ReconnectBackoff(options.reconnectInitialBackoff(), options.reconnectMaxBackoff());
	}

	/** The connected session, for the listener's state; null while (re)connecting or stopped. */
	@Nullable ListenerSession connected() {
		return this.connected;
	}

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
		this.outages.runStarting();
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
			opened = ListenerSession.open(this.connectionFactory, this.options);
		}
		catch (Exception ex) {
			// SQLException, or anything else a driver or connection factory throws, declared or not
			if (!this.stopping) {
				this.outages.connectFailed(ex);
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
			this.connected = opened;
			apply(opened);
			established(opened);
			established = true;
			poll(opened);
		}
		catch (Exception ex) {
			// a session that failed in any way is over: the loop opens a new one (the callbacks' own
			// failures never get here, the dispatcher logs them)
			failure = ex;
		}
		finally {
			this.session = null;
			this.connected = null;
			opened.close();
			this.outages.connectionClosed(this.subscriptions.connectionLost(), this.lastGood);
		}
		if (failure != null && !this.stopping) {
			if (established) {
				connectionLost(opened, failure);
			}
			else {
				this.outages.connectFailed(failure);
				pause(this.backoff.next());
			}
		}
	}

	private void poll(ListenerSession session) throws SQLException {
		long validationInterval = this.options.validationInterval().toNanos();
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
				this.dispatcher.deliver(notifications);
			}
			else if (System.nanoTime() - lastContact >= validationInterval && !this.stopping) {
				Instant before = Instant.now();
				if (!session.isValid()) {
					throw new SQLException("The listener connection did not answer a validation round trip within "
							+ this.options.validationTimeout(), "08006");
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
		Subscriptions.Plan plan = this.subscriptions.plan();
		for (String channel : plan.toUnlisten()) {
			Instant before = Instant.now();
			session.unlisten(channel);
			this.lastGood = before;
			this.subscriptions.unlistened(channel);
			logger.debug("UNLISTEN {}", channel);
		}
		for (String channel : plan.toListen()) {
			Instant before = Instant.now();
			session.listen(channel);
			this.lastGood = before;
			this.subscriptions.listened(channel);
			logger.debug("LISTEN {}", channel);
		}
		return !plan.isEmpty();
	}

	private void established(ListenerSession session) {
		Instant listening = Instant.now();
		Set<String> channels = this.subscriptions.listening();
		MissedNotifications missed = this.outages.established(session, channels, listening);
		if (missed != null) {
			this.dispatcher.notifyMissed(missed);
		}
	}

	private void connectionLost(ListenerSession session, Exception failure) {
		this.outages.connectionLost(session, failure);
		// A connection that failed soon after it was made may fail again: do not hammer the server.
		Duration lived = Duration.between(session.connectedAt(), Instant.now());
		if (lived.compareTo(this.options.validationInterval()) >= 0) {
			this.backoff.reset();
		}
		else {
			pause(this.backoff.next());
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
