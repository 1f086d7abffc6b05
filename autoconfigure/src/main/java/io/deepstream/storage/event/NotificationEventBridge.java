package io.deepstream.storage.event;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.listen.MissedNotifications;
import io.deepstream.storage.listen.Notification;
import io.deepstream.storage.listen.NotificationListener;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes the notifications of some schemas as Spring application events: each
 * {@link Notification} as the matching {@link StorageChangeEvent}, and each
 * {@link MissedNotifications} that concerns these schemas as a {@link NotificationsMissedEvent}.
 * <p>
 * Events are published on the listener thread, in the order PostgreSQL delivered the notifications.
 * With Spring's default (synchronous) multicaster every {@code @EventListener} runs on that thread
 * too, so a slow listener delays the events after it; make it {@code @Async} if it must not.
 * <p>
 * As a {@link SmartLifecycle} it subscribes on start and unsubscribes on stop, in a phase just
 * below the listener's, so its subscriptions are in place when the listener first connects. Without
 * Spring, call {@link #subscribe()} and {@link #close()}.
 */
public class NotificationEventBridge implements SmartLifecycle, AutoCloseable {

	/** Starts before the listener, stops after it. */
	public static final int PHASE = NotificationListener.PHASE - 1;

	private final ApplicationEventPublisher publisher;

	private final NotificationListener listener;

	private final Set<String> schemas;

	private final Consumer<Notification> notificationCallback = this::publish;

	private final Consumer<MissedNotifications> missedCallback = this::publishMissed;

	private volatile boolean running;

	/**
	 * Creates a bridge for the listener's default schema.
	 * @param publisher where the events go, usually the application context
	 * @param listener where the notifications come from
	 */
	public NotificationEventBridge(ApplicationEventPublisher publisher, NotificationListener listener) {
		this(publisher, listener, Set.of(listener.options().schema()));
	}

	/**
	 * Creates a bridge for some schemas.
	 * @param publisher where the events go, usually the application context
	 * @param listener where the notifications come from
	 * @param schemas the schemas whose changes are published
	 * @throws IllegalArgumentException if there is no schema or an invalid one
	 */
	public NotificationEventBridge(ApplicationEventPublisher publisher, NotificationListener listener,
			Set<String> schemas) {
		if (schemas.isEmpty()) {
			throw new IllegalArgumentException("At least one schema is needed");
		}
		schemas.forEach(Identifiers::requireValidSchema);
		this.publisher = publisher;
		this.listener = listener;
		this.schemas = Set.copyOf(schemas);
	}

	/**
	 * Subscribes to every schema. Idempotent.
	 * @return a future that completes once every schema's LISTEN is in place
	 */
	public CompletableFuture<Void> subscribe() {
		synchronized (this) {
			this.listener.removeMissedNotificationsCallback(this.missedCallback);
			this.listener.onMissedNotifications(this.missedCallback);
			// Combined from the listener's own futures rather than with allOf, whose plain future would
			// lose their guard: waiting on it before the listener is started must fail, not hang.
			Iterator<String> schemas = this.schemas.iterator(); // never empty
			CompletableFuture<Void> all = this.listener.subscribe(this.notificationCallback, schemas.next());
			while (schemas.hasNext()) {
				all = all.thenCombine(this.listener.subscribe(this.notificationCallback, schemas.next()),
						(first, second) -> null);
			}
			this.running = true;
			return all;
		}
	}

	/** Unsubscribes from every schema: no more events are published. */
	@Override
	public void close() {
		synchronized (this) {
			for (String schema : this.schemas) {
				this.listener.unsubscribe(this.notificationCallback, schema);
			}
			this.listener.removeMissedNotificationsCallback(this.missedCallback);
			this.running = false;
		}
	}

	/**
	 * The schemas whose changes are published.
	 * @return the schemas
	 */
	public Set<String> getSchemas() {
		return this.schemas;
	}

	private void publish(Notification notification) {
		this.publisher.publishEvent(StorageChangeEvent.of(this.listener, notification));
	}

	private void publishMissed(MissedNotifications missed) {
		Set<String> ours = new LinkedHashSet<>(missed.schemas());
		ours.retainAll(this.schemas);
		if (!ours.isEmpty()) {
			this.publisher.publishEvent(new NotificationsMissedEvent(this.listener,
					new MissedNotifications(ours, missed.from(), missed.to())));
		}
	}

	@Override
	public void start() {
		subscribe();
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
