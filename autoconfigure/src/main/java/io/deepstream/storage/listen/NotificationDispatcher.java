package io.deepstream.storage.listen;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.deepstream.storage.core.CallbackFailures;
import io.deepstream.storage.core.NotificationSwitches;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what PostgreSQL delivered into calls of the subscribers: parses each payload (a foreign one
 * is counted and reported, never thrown), drops the kinds that are switched off, and calls the
 * schema's subscribers one after the other. Also tells the missed-notifications callbacks. A
 * callback that throws, whatever it throws ({@link CallbackFailures}), is logged and the others still
 * run. Called on the listener thread only; its counters are read by any thread.
 */
final class NotificationDispatcher {

	// The listener's category, so that one logging level covers everything the listener does.
	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private final Subscriptions subscriptions;

	private final NotificationSwitches switches;

	private final List<Consumer<MissedNotifications>> missedCallbacks = new CopyOnWriteArrayList<>();

	private final UnparseablePayloads unparseable = new UnparseablePayloads();

	private final AtomicLong received = new AtomicLong();

	private volatile @Nullable Instant lastNotification;

	NotificationDispatcher(Subscriptions subscriptions, NotificationSwitches switches) {
		this.subscriptions = subscriptions;
		this.switches = switches;
	}

	void addMissedCallback(Consumer<MissedNotifications> callback) {
		this.missedCallbacks.add(callback);
	}

	boolean removeMissedCallback(Consumer<MissedNotifications> callback) {
		return this.missedCallbacks.remove(callback);
	}

	void clearMissedCallbacks() {
		this.missedCallbacks.clear();
	}

	/** How many notifications arrived, whether delivered or not. */
	long received() {
		return this.received.get();
	}

	/** How many payloads could not be parsed. */
	long unparseable() {
		return this.unparseable.count();
	}

	/** When the latest notification arrived; null if none did. */
	@Nullable Instant lastNotification() {
		return this.lastNotification;
	}

	void deliver(PGNotification[] notifications) {
		Instant now = Instant.now();
		for (PGNotification received : notifications) {
			this.received.incrementAndGet();
			this.lastNotification = now;
			String schema = received.getName();
			NotificationParser.Result result = NotificationParser.parse(schema, received.getParameter());
			if (result instanceof NotificationParser.Rejected rejected) {
				this.unparseable.report(schema, rejected);
				continue;
			}
			Notification notification = ((NotificationParser.Parsed) result).notification();
			if (!this.switches.isEnabled(notification.kind())) {
				logger.trace("Not delivering {}: its kind is switched off", notification);
				continue;
			}
			for (Consumer<Notification> callback : this.subscriptions.subscribers(schema)) {
				try {
					callback.accept(notification);
				}
				catch (Throwable ex) {
					CallbackFailures.rethrowIfFatal(ex);
					logger.error("Notification callback {} failed for {}", callback, notification, ex);
				}
			}
		}
	}

	void notifyMissed(MissedNotifications missed) {
		logger.info("Notifications of {} may have been missed between {} and {}", missed.schemas(), missed.from(),
				missed.to());
		for (Consumer<MissedNotifications> callback : this.missedCallbacks) {
			try {
				callback.accept(missed);
			}
			catch (Throwable ex) {
				CallbackFailures.rethrowIfFatal(ex);
				logger.error("Missed-notifications callback {} failed for {}", callback, missed, ex);
			}
		}
	}

}
