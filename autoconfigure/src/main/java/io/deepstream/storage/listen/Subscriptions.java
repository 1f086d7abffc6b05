package io.deepstream.storage.listen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The subscribers of each schema, and which channels are LISTENed on the current connection. Any
 * thread changes the subscribers; only the listener thread runs LISTEN and UNLISTEN, and it asks
 * {@link #plan()} what to run. One lock keeps the two consistent, so that a subscribe whose future
 * completes at once ("already listening") can never race with the UNLISTEN of that channel: a
 * channel stops counting as listened for new subscribers before its UNLISTEN runs, and starts after
 * its LISTEN has.
 * <p>
 * Futures are completed outside the lock, because their dependants run on the completing thread.
 */
final class Subscriptions {

	private final Object lock = new Object();

	/** Subscribers per schema, in subscription order; a schema with none has no entry. */
	private final Map<String, CopyOnWriteArrayList<Consumer<Notification>>> callbacks = new LinkedHashMap<>();

	/** Channels LISTENed on the current connection, and wanted. */
	private final Set<String> listening = new LinkedHashSet<>();

	/** Channels still LISTENed on the current connection whose UNLISTEN is planned. */
	private final Set<String> leaving = new LinkedHashSet<>();

	/** Subscribe futures waiting for their LISTEN. */
	private final List<PendingListen> pending = new ArrayList<>();

	private boolean closed;

	/**
	 * Adds a subscriber (once: adding the same callback again changes nothing).
	 * @return a future that completes when the schema's LISTEN is in place, at once if it is
	 */
	CompletableFuture<Void> add(String schema, Consumer<Notification> callback) {
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("The listener is closed");
			}
			this.callbacks.computeIfAbsent(schema, (key) -> new CopyOnWriteArrayList<>()).addIfAbsent(callback);
			if (this.listening.contains(schema)) {
				return CompletableFuture.completedFuture(null);
			}
			CompletableFuture<Void> future = new CompletableFuture<>();
			this.pending.add(new PendingListen(schema, future));
			return future;
		}
	}

	/**
	 * Removes a subscriber of one schema.
	 * @return whether it was subscribed
	 */
	boolean remove(String schema, Consumer<Notification> callback) {
		synchronized (this.lock) {
			List<Consumer<Notification>> list = this.callbacks.get(schema);
			if (list == null || !list.remove(callback)) {
				return false;
			}
			if (list.isEmpty()) {
				this.callbacks.remove(schema);
			}
			return true;
		}
	}

	/** Removes every subscriber of one schema. */
	void removeAll(String schema) {
		synchronized (this.lock) {
			this.callbacks.remove(schema);
		}
	}

	/**
	 * The subscribers of a schema. Iterating the list sees a snapshot: subscribers that come or go
	 * meanwhile do not disturb it.
	 * @return the callbacks, possibly none
	 */
	List<Consumer<Notification>> subscribers(String schema) {
		synchronized (this.lock) {
			CopyOnWriteArrayList<Consumer<Notification>> list = this.callbacks.get(schema);
			return (list != null) ? Collections.unmodifiableList(list) : List.of();
		}
	}

	/**
	 * What the listener thread has to run to make the connection match the subscribers. Channels to
	 * UNLISTEN stop counting as listened for new subscribers at once (until {@link #unlistened} they
	 * still show in {@link #channels()}); subscribe futures of schemas nobody wants any more are
	 * cancelled.
	 * @return the plan, possibly empty
	 */
	Plan plan() {
		List<CompletableFuture<Void>> cancelled = new ArrayList<>();
		Plan plan;
		synchronized (this.lock) {
			Set<String> toListen = new LinkedHashSet<>(this.callbacks.keySet());
			toListen.removeAll(this.listening);
			Set<String> toUnlisten = new LinkedHashSet<>(this.listening);
			toUnlisten.removeAll(this.callbacks.keySet());
			this.listening.removeAll(toUnlisten);
			this.leaving.addAll(toUnlisten);
			for (Iterator<PendingListen> it = this.pending.iterator(); it.hasNext();) {
				PendingListen waiting = it.next();
				if (!this.callbacks.containsKey(waiting.schema())) {
					cancelled.add(waiting.future());
					it.remove();
				}
			}
			plan = new Plan(toListen, toUnlisten);
		}
		cancelled.forEach((future) -> future.cancel(false));
		return plan;
	}

	/** Records that a channel's LISTEN is in place, and completes the futures waiting for it. */
	void listened(String schema) {
		List<CompletableFuture<Void>> done = new ArrayList<>();
		synchronized (this.lock) {
			this.listening.add(schema);
			for (Iterator<PendingListen> it = this.pending.iterator(); it.hasNext();) {
				PendingListen waiting = it.next();
				if (waiting.schema().equals(schema)) {
					done.add(waiting.future());
					it.remove();
				}
			}
		}
		done.forEach((future) -> future.complete(null));
	}

	/** Records that a channel's UNLISTEN has run. */
	void unlistened(String schema) {
		synchronized (this.lock) {
			this.leaving.remove(schema);
		}
	}

	/**
	 * Records that the connection is gone, with all its LISTENs.
	 * @return the channels that were listened on it
	 */
	Set<String> connectionLost() {
		synchronized (this.lock) {
			Set<String> lost = Set.copyOf(this.listening);
			this.listening.clear();
			this.leaving.clear();
			return lost;
		}
	}

	/**
	 * The channels LISTENed on the current connection and wanted.
	 * @return a snapshot
	 */
	Set<String> listening() {
		synchronized (this.lock) {
			return Set.copyOf(this.listening);
		}
	}

	/**
	 * Every channel LISTENed on the current connection, including those about to be UNLISTENed.
	 * @return a snapshot
	 */
	Set<String> channels() {
		synchronized (this.lock) {
			Set<String> all = new LinkedHashSet<>(this.listening);
			all.addAll(this.leaving);
			return Set.copyOf(all);
		}
	}

	/** Refuses further subscribers and fails the futures still waiting. */
	void close() {
		List<CompletableFuture<Void>> failed = new ArrayList<>();
		synchronized (this.lock) {
			this.closed = true;
			this.pending.forEach((waiting) -> failed.add(waiting.future()));
			this.pending.clear();
			this.callbacks.clear();
			this.listening.clear();
			this.leaving.clear();
		}
		IllegalStateException closed = new IllegalStateException("The listener was closed before the LISTEN was in place");
		failed.forEach((future) -> future.completeExceptionally(closed));
	}

	/**
	 * The statements that bring the connection in line with the subscribers.
	 *
	 * @param toListen channels to LISTEN
	 * @param toUnlisten channels to UNLISTEN
	 */
	record Plan(Set<String> toListen, Set<String> toUnlisten) {

		Plan {
			toListen = Collections.unmodifiableSet(new LinkedHashSet<>(toListen));
			toUnlisten = Collections.unmodifiableSet(new LinkedHashSet<>(toUnlisten));
		}

		boolean isEmpty() {
			return this.toListen.isEmpty() && this.toUnlisten.isEmpty();
		}

	}

	private record PendingListen(String schema, CompletableFuture<Void> future) {

	}

}
