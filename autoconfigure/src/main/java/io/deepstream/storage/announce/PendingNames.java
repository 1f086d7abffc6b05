package io.deepstream.storage.announce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The record names waiting to be announced to one server, each once, bounded in number, in the order
 * they were committed; the names the sender has taken and not yet settled; and the callers waiting
 * for names to be announced. A name committed again while it waits stays one entry; committed again
 * while it is in flight, it waits again (the server may have read the record before that commit).
 */
final class PendingNames {

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled when names arrive, names overflow, or the queue closes. */
	private final Condition changed = this.lock.newCondition();

	private final int capacity;

	private final LinkedHashMap<String, Entry> waiting = new LinkedHashMap<>();

	private final Map<String, Entry> inFlight = new HashMap<>();

	/** Names given up on because the queue was full, not yet reported. */
	private final List<String> overflow = new ArrayList<>();

	/** Names that arrived after the queue closed, not yet reported. */
	private final List<String> refused = new ArrayList<>();

	/** Names given up on and not announced since, for callers asking about them later; bounded. */
	private final LinkedHashMap<String, FailureKind> givenUp;

	private boolean closed;

	PendingNames(int capacity) {
		this.capacity = capacity;
		this.givenUp = new LinkedHashMap<>(16, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, FailureKind> eldest) {
				return size() > capacity;
			}
		};
	}

	/** One name waiting or in flight, with the callers waiting for it. */
	static final class Entry {

		final String name;

		final long queuedNanos;

		private @Nullable List<Waiter> waiters;

		Entry(String name, long queuedNanos) {
			this.name = name;
			this.queuedNanos = queuedNanos;
		}

	}

	/** A caller waiting for a set of entries to be settled. */
	private static final class Waiter {

		private final CompletableFuture<Void> future = new CompletableFuture<>();

		private int remaining;

		private @Nullable FailureKind failure;

		private @Nullable String failedName;

		void settled(Entry entry, @Nullable FailureKind kind) {
			if (kind != null && this.failure == null) {
				this.failure = kind;
				this.failedName = entry.name;
			}
			if (--this.remaining == 0) {
				finish();
			}
		}

		void finish() {
			if (this.failure == null) {
				this.future.complete(null);
			}
			else {
				this.future.completeExceptionally(new AnnouncementFailedException(this.failedName, this.failure));
			}
		}

	}

	/**
	 * Queues names to be announced.
	 * @return how many names did not fit, or came after closing, and were given up on (reported by
	 * {@link #drainOverflow} and {@link #drainRefused})
	 */
	int add(Collection<String> names) {
		long now = System.nanoTime();
		int overflowed = 0;
		this.lock.lock();
		try {
			for (String name : names) {
				if (this.waiting.containsKey(name)) {
					continue;
				}
				if (this.closed || this.waiting.size() >= this.capacity) {
					(this.closed ? this.refused : this.overflow).add(name);
					this.givenUp.put(name, this.closed ? FailureKind.CLOSED : FailureKind.QUEUE_FULL);
					overflowed++;
					continue;
				}
				this.waiting.put(name, new Entry(name, now));
			}
			this.changed.signalAll();
			return overflowed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes the oldest waiting names, up to {@code max}, waiting up to the timeout for some to arrive.
	 * @return the entries, now in flight until {@link #settle}d; empty if none arrived in time or names
	 * overflowed
	 */
	List<Entry> take(int max, long timeoutNanos) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			long nanos = timeoutNanos;
			while (this.waiting.isEmpty() && this.overflow.isEmpty() && nanos > 0) {
				nanos = this.changed.awaitNanos(nanos);
			}
			List<Entry> taken = new ArrayList<>(Math.min(max, this.waiting.size()));
			Iterator<Entry> it = this.waiting.values().iterator();
			while (it.hasNext() && taken.size() < max) {
				Entry entry = it.next();
				it.remove();
				this.inFlight.put(entry.name, entry);
				taken.add(entry);
			}
			return taken;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Settles entries taken by {@link #take}: announced ({@code kind} null) or given up on.
	 */
	void settle(List<Entry> entries, @Nullable FailureKind kind) {
		this.lock.lock();
		try {
			for (Entry entry : entries) {
				this.inFlight.remove(entry.name, entry);
				if (kind == null) {
					this.givenUp.remove(entry.name);
				}
				else {
					this.givenUp.put(entry.name, kind);
				}
				if (entry.waiters != null) {
					for (Waiter waiter : entry.waiters) {
						waiter.settled(entry, kind);
					}
					entry.waiters = null;
				}
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A future that completes when the given names, as committed so far, have been announced, or fails
	 * with {@link AnnouncementFailedException} if one of them was given up on.
	 * @param names the record names, or null for every name waiting or in flight now
	 */
	CompletableFuture<Void> announced(@Nullable Collection<String> names) {
		this.lock.lock();
		try {
			Waiter waiter = new Waiter();
			List<Entry> awaited = new ArrayList<>();
			if (names == null) {
				awaited.addAll(this.waiting.values());
				awaited.addAll(this.inFlight.values());
			}
			else {
				for (String name : names) {
					Entry waitingEntry = this.waiting.get(name);
					Entry inFlightEntry = this.inFlight.get(name);
					if (waitingEntry != null) {
						awaited.add(waitingEntry);
					}
					if (inFlightEntry != null) {
						awaited.add(inFlightEntry);
					}
					FailureKind failure = this.givenUp.get(name);
					if (waitingEntry == null && inFlightEntry == null && failure != null && waiter.failure == null) {
						waiter.failure = failure;
						waiter.failedName = name;
					}
				}
			}
			waiter.remaining = awaited.size();
			for (Entry entry : awaited) {
				if (entry.waiters == null) {
					entry.waiters = new ArrayList<>(1);
				}
				entry.waiters.add(waiter);
			}
			if (awaited.isEmpty()) {
				waiter.finish();
			}
			return waiter.future;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return the names that overflowed since the last call, now reported */
	List<String> drainOverflow() {
		return drain(this.overflow);
	}

	/** @return the names that arrived after the queue closed, since the last call, now reported */
	List<String> drainRefused() {
		return drain(this.refused);
	}

	private List<String> drain(List<String> names) {
		this.lock.lock();
		try {
			if (names.isEmpty()) {
				return List.of();
			}
			List<String> drained = new ArrayList<>(names);
			names.clear();
			return drained;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until names overflow or the timeout passes: a pause between retries that still reports
	 * overflowing names promptly.
	 */
	void pause(long nanos) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			long remaining = nanos;
			while (this.overflow.isEmpty() && remaining > 0) {
				remaining = this.changed.awaitNanos(remaining);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Accepts no more names; names that arrive later are given up on at once. */
	void close() {
		this.lock.lock();
		try {
			this.closed = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until nothing is waiting or in flight.
	 * @return whether that happened within the timeout
	 */
	boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
		long nanos = unit.toNanos(timeout);
		this.lock.lockInterruptibly();
		try {
			while (!(this.waiting.isEmpty() && this.inFlight.isEmpty()) && nanos > 0) {
				nanos = this.changed.awaitNanos(nanos);
			}
			return this.waiting.isEmpty() && this.inFlight.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Removes the waiting names committed at least {@code maxAgeNanos} ago, oldest first (the order
	 * they wait in), for an announcer that gives up on them without trying each.
	 * @return the entries removed, to be {@link #settle}d as given up
	 */
	List<Entry> takeOlderThan(long maxAgeNanos) {
		long now = System.nanoTime();
		this.lock.lock();
		try {
			List<Entry> expired = new ArrayList<>();
			Iterator<Entry> it = this.waiting.values().iterator();
			while (it.hasNext()) {
				Entry entry = it.next();
				if (now - entry.queuedNanos < maxAgeNanos) {
					break;
				}
				it.remove();
				expired.add(entry);
			}
			return expired;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Removes every waiting name, for a closing announcer that gives up on them.
	 * @return the entries removed, now in flight until settled
	 */
	List<Entry> takeAll() {
		this.lock.lock();
		try {
			List<Entry> all = new ArrayList<>(this.waiting.values());
			this.waiting.clear();
			all.forEach((entry) -> this.inFlight.put(entry.name, entry));
			return all;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return names given up on (overflowed or refused after closing) and not reported yet */
	int unreported() {
		this.lock.lock();
		try {
			return this.overflow.size() + this.refused.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return names waiting or in flight */
	int size() {
		this.lock.lock();
		try {
			return this.waiting.size() + this.inFlight.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return how long the oldest waiting name has waited, in nanoseconds (0 if none) */
	long oldestAgeNanos() {
		this.lock.lock();
		try {
			Iterator<Entry> it = this.waiting.values().iterator();
			return it.hasNext() ? System.nanoTime() - it.next().queuedNanos : 0;
		}
		finally {
			this.lock.unlock();
		}
	}

}
