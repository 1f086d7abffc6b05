package io.deepstream.storage.listen;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the books of the listener's outages: for which schemas, and since when, notifications may
 * have been missed; whether an established connection was lost; how often it was replaced. It also
 * logs the listener's changes of state, and only those: the loss, the first failed attempt of a
 * series (later ones at DEBUG), the (re)connect.
 * <p>
 * It lives as long as the listener, so that an outage that spans a {@code stop()} and
 * {@code start()} is reported once. Used by the listener thread only: a run's thread starts after
 * the previous run's thread has ended ({@code start()} joins it), which hands the state over.
 * {@link #reconnects()} may be read by any thread.
 */
final class OutageTracker {

	// The listener's category, so that one logging level covers everything the listener does.
	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private final Duration reconnectMaxBackoff;

	private final AtomicLong reconnects = new AtomicLong();

	/** Notifications of these schemas may have been missed since the instant in it; null if none. */
	private @Nullable Outage outage;

	/** Whether an established connection was lost and has not been replaced yet. */
	private boolean lost;

	/** Whether a connect attempt failed since the last established connection (for logging). */
	private boolean failing;

	OutageTracker(Duration reconnectMaxBackoff) {
		this.reconnectMaxBackoff = reconnectMaxBackoff;
	}

	/** How many times a lost connection was replaced. */
	long reconnects() {
		return this.reconnects.get();
	}

	/** A new run of the listener thread begins: its first failed attempt is logged at WARN again. */
	void runStarting() {
		this.failing = false;
	}

	/** A connect attempt failed. */
	void connectFailed(Exception failure) {
		if (!this.failing) {
			this.failing = true;
			logger.warn("Listener cannot connect to PostgreSQL: {}; retrying with backoff up to {} "
					+ "(further failures are logged at DEBUG)", failure.getMessage(), this.reconnectMaxBackoff);
		}
		else {
			logger.debug("Listener still cannot connect to PostgreSQL: {}", failure.getMessage());
		}
	}

	/**
	 * A connection was closed, for whatever reason: notifications of the schemas it listened to may
	 * be missed from the latest instant it was known to receive.
	 * @param gone the schemas it listened to
	 * @param lastGood the start of its latest round trip or poll that proved it was receiving
	 */
	void connectionClosed(Set<String> gone, Instant lastGood) {
		if (gone.isEmpty()) {
			return;
		}
		Outage current = this.outage;
		this.outage = (current != null) ? current.including(gone) : new Outage(gone, lastGood);
	}

	/** An established connection failed (and not because the listener stopped). */
	void connectionLost(ListenerSession session, Exception failure) {
		this.lost = true;
		logger.warn("Listener lost its connection to PostgreSQL (backend {}): {}; reconnecting", session.backendPid(),
				failure.getMessage());
	}

	/**
	 * A connection is established and every channel LISTENed: ends the outage.
	 * @param session the connection
	 * @param channels the channels it listens to
	 * @param listening when the LISTENs were in place
	 * @return what may have been missed, for the channels still listened to; null if nothing
	 */
	@Nullable MissedNotifications established(ListenerSession session, Set<String> channels, Instant listening) {
		if (this.lost) {
			this.lost = false;
			this.reconnects.incrementAndGet();
			logger.info("Listener reconnected to PostgreSQL (backend {}), listening to {}", session.backendPid(), channels);
		}
		else if (this.failing) {
			logger.info("Listener connected to PostgreSQL (backend {}), listening to {}", session.backendPid(), channels);
		}
		else {
			logger.debug("Listener connected to PostgreSQL (backend {}), listening to {}", session.backendPid(), channels);
		}
		this.failing = false;
		Outage missed = this.outage;
		this.outage = null;
		if (missed == null) {
			return null;
		}
		Set<String> schemas = new LinkedHashSet<>(missed.schemas());
		schemas.retainAll(channels);
		if (schemas.isEmpty()) {
			return null;
		}
		// The wall clock may have stepped back meanwhile; the interval must not be negative.
		Instant to = listening.isBefore(missed.from()) ? missed.from() : listening;
		return new MissedNotifications(schemas, missed.from(), to);
	}

	/** Notifications of {@code schemas} may have been missed since {@code from}. */
	private record Outage(Set<String> schemas, Instant from) {

		Outage including(Set<String> more) {
			Set<String> all = new LinkedHashSet<>(this.schemas);
			all.addAll(more);
			return new Outage(all, this.from);
		}

	}

}
