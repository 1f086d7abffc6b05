package io.deepstream.storage.announce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The record names waiting to be announced to one server, each once, bounded in number, in the order
 * they were committed; the names the sender has taken and not yet settled; and the callers waiting
 * for names to be announced. A name committed again while it waits stays one entry; committed again
 * while it is in flight, it waits again (the server may have read the record before that commit).
 * <p>
 * Committing threads hand their names over with {@link #offer} without taking the lock while the
 * names certainly fit: the batch of names is queued as it is, and turned into entries (names built,
 * each once, in commit order) by the next call that takes the lock, normally the announcer's own
 * thread. Every method that looks at the names takes those batches in first, so a name offered before
 * a call is seen by it.
 * <p>
 * Each entry and each give-up carries a stamp, increasing in the order they happen (under the lock):
 * a request that succeeds announces the commits made up to when its entry was queued (later ones of
 * the same name merge into it while it waits), so it clears only a give-up of that name with an older
 * stamp; a commit given up on after the entry was queued (the queue full, or closed, while the name
 * was in flight) stays given up on until a later commit of the name is announced.
 * <p>
 * Waits are completed after the lock is released: what callers chain on them runs on the completing
 * thread (usually the announcer's), and may use this queue from other threads meanwhile.
 */
final class PendingNames {

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled when names arrive, names overflow, or the queue closes. */
	private final Condition changed = this.lock.newCondition();

	private final int capacity;

	private final LinkedHashMap<String, Entry> waiting = new LinkedHashMap<>();

	/**
	 * The entries taken and not yet settled, as taken (a settled entry stays in its list until every
	 * entry is settled, then the lists are dropped); {@link #inFlightCount} counts the unsettled ones.
	 */
	private final List<List<Entry>> inFlight = new ArrayList<>();

	private int inFlightCount;

	/** Batches offered and not yet taken in, in the order they were offered. */
	private final ConcurrentLinkedQueue<Batch> incoming = new ConcurrentLinkedQueue<>();

	/** How many names the batches in {@link #incoming} may hold, at most. */
	private final AtomicInteger incomingNames = new AtomicInteger();

	/** {@code waiting.size()}, for {@link #offer} to read without the lock. */
	private volatile int waitingCount;

	/** Whether {@link #take} waits for names: an offer then signals it. */
	private volatile boolean takerWaiting;

	/** Names given up on because the queue was full, not yet reported. */
	private final List<String> overflow = new ArrayList<>();

	/** Names that arrived after the queue closed, not yet reported. */
	private final List<String> refused = new ArrayList<>();

	/** Names given up on and not announced since, for callers asking about them later; bounded. */
	private final LinkedHashMap<String, GiveUp> givenUp;

	/** The last stamp given to an entry or a give-up; under the lock. */
	private long stamps;

	private volatile boolean closed;

	PendingNames(int capacity) {
		this.capacity = capacity;
		this.givenUp = new LinkedHashMap<>(16, 0.75f, false) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, GiveUp> eldest) {
				return size() > capacity;
			}
		};
	}

	/** One name waiting or in flight, with the callers waiting for it. */
	static final class Entry {

		final String name;

		final long queuedNanos;

		/** When it was queued, among entries and give-ups. */
		private final long stamp;

		/** Taken and not settled; guarded by the lock. */
		private boolean inFlight;

		private @Nullable List<Waiter> waiters;

		Entry(String name, long queuedNanos, long stamp) {
			this.name = name;
			this.queuedNanos = queuedNanos;
			this.stamp = stamp;
		}

	}

	/**
	 * Why a name was given up on, and when: the stamp of the entry whose request failed, or a stamp of
	 * its own for a commit refused at once.
	 */
	private record GiveUp(FailureKind kind, long stamp) {
	}

	/** Names offered together, built when they are taken in. */
	private record Batch(Supplier<? extends Collection<String>> names, int maxNames, long queuedNanos) {
	}

	/** A caller waiting for a set of entries to be settled. */
	private static final class Waiter {

		private final CompletableFuture<Void> future = new CompletableFuture<>();

		private int remaining;

		private @Nullable FailureKind failure;

		private @Nullable String failedName;

		/** @return whether that was the last entry it waited for: then it is to be finished */
		boolean settled(Entry entry, @Nullable FailureKind kind) {
			failed(entry.name, kind);
			return --this.remaining == 0;
		}

		void failed(String name, @Nullable FailureKind kind) {
			if (kind != null && this.failure == null) {
				this.failure = kind;
				this.failedName = name;
			}
		}

		/** Completes the future: never under the lock, since what depends on it runs here. */
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
	 * Queues names to be announced, from a committing thread: without taking the lock when they
	 * certainly fit (the names are then built later, by the thread that takes them in), otherwise as
	 * {@link #add}.
	 * @param names the names, built at most once and by one thread at a time (possibly not this one);
	 * the collection is not changed afterwards
	 * @param maxNames how many names {@code names} gives at most
	 * @return how many names were given up on at once (as {@link #add}); 0 when they were queued
	 * without the lock
	 */
	int offer(Supplier<? extends Collection<String>> names, int maxNames) {
		if (!this.closed) {
			int reserved = this.incomingNames.addAndGet(maxNames);
			if ((long) reserved + this.waitingCount <= this.capacity) {
				this.incoming.add(new Batch(names, maxNames, System.nanoTime()));
				if (this.takerWaiting) {
					signal();
				}
				return 0;
			}
			this.incomingNames.addAndGet(-maxNames);
		}
		// near the bound or closed: decided here, so that what is given up on is known (and reported) at once
		return add(names.get());
	}

	private void signal() {
		this.lock.lock();
		try {
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Queues names to be announced.
	 * @return how many names did not fit, or came after closing, and were given up on (reported by
	 * {@link #drainOverflow} and {@link #drainRefused})
	 */
	int add(Collection<String> names) {
		this.lock.lock();
		try {
			takeIn();
			int overflowed = queue(names, System.nanoTime());
			this.changed.signalAll();
			return overflowed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Turns the batches offered so far into entries; under the lock. */
	private void takeIn() {
		Batch batch;
		boolean any = false;
		while ((batch = this.incoming.poll()) != null) {
			queue(batch.names().get(), batch.queuedNanos());
			// released after queueing: meanwhile an offer counts these names twice, never none
			this.incomingNames.addAndGet(-batch.maxNames());
			any = true;
		}
		if (any) {
			this.changed.signalAll();
		}
	}

	/** Queues names committed at {@code queuedNanos}; under the lock. */
	private int queue(Collection<String> names, long queuedNanos) {
		int overflowed = 0;
		for (String name : names) {
			if (this.waiting.containsKey(name)) {
				continue;
			}
			if (this.closed || this.waiting.size() >= this.capacity) {
				(this.closed ? this.refused : this.overflow).add(name);
				// newer than any entry of the name in flight: its success does not clear this give-up
				givenUp(name, new GiveUp(this.closed ? FailureKind.CLOSED : FailureKind.QUEUE_FULL, ++this.stamps));
				overflowed++;
				continue;
			}
			this.waiting.put(name, new Entry(name, queuedNanos, ++this.stamps));
		}
		this.waitingCount = this.waiting.size();
		return overflowed;
	}

	/** Records a give-up, unless one of the name with a newer stamp is recorded; under the lock. */
	private void givenUp(String name, GiveUp giveUp) {
		GiveUp recorded = this.givenUp.get(name);
		if (recorded == null || recorded.stamp() < giveUp.stamp()) {
			this.givenUp.put(name, giveUp);
		}
	}

	/**
	 * Takes the oldest waiting names, up to {@code max}, waiting up to the timeout for some to arrive.
	 * @return the entries, now in flight until {@link #settle}d; empty if none arrived in time, names
	 * overflowed, or the queue is closed and empty
	 */
	List<Entry> take(int max, long timeoutNanos) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			takeIn();
			long nanos = timeoutNanos;
			while (this.waiting.isEmpty() && this.overflow.isEmpty() && !this.closed && nanos > 0) {
				this.takerWaiting = true;
				try {
					// an offer made before takerWaiting was set is in incoming now
					if (this.incoming.isEmpty()) {
						nanos = this.changed.awaitNanos(nanos);
					}
				}
				finally {
					this.takerWaiting = false;
				}
				takeIn();
			}
			List<Entry> taken = new ArrayList<>(Math.min(max, this.waiting.size()));
			Iterator<Entry> it = this.waiting.values().iterator();
			while (it.hasNext() && taken.size() < max) {
				Entry entry = it.next();
				it.remove();
				taken.add(entry);
			}
			this.waitingCount = this.waiting.size();
			markInFlight(taken);
			return taken;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Entries removed from {@link #waiting} are in flight until settled; under the lock. */
	private void markInFlight(List<Entry> entries) {
		if (entries.isEmpty()) {
			return;
		}
		for (Entry entry : entries) {
			entry.inFlight = true;
		}
		this.inFlight.add(entries);
		this.inFlightCount += entries.size();
	}

	/**
	 * Settles entries taken by {@link #take}: announced ({@code kind} null) or given up on.
	 */
	void settle(List<Entry> entries, @Nullable FailureKind kind) {
		List<Waiter> finished = new ArrayList<>();
		this.lock.lock();
		try {
			for (Entry entry : entries) {
				if (entry.inFlight) {
					entry.inFlight = false;
					this.inFlightCount--;
				}
				if (kind != null) {
					givenUp(entry.name, new GiveUp(kind, entry.stamp));
				}
				else if (!this.givenUp.isEmpty()) {
					GiveUp giveUp = this.givenUp.get(entry.name);
					if (giveUp != null && giveUp.stamp() < entry.stamp) {
						this.givenUp.remove(entry.name);
					}
				}
				if (entry.waiters != null) {
					for (Waiter waiter : entry.waiters) {
						if (waiter.settled(entry, kind)) {
							finished.add(waiter);
						}
					}
					entry.waiters = null;
				}
			}
			if (this.inFlightCount == 0) {
				this.inFlight.clear();
			}
			else if (this.inFlight.size() > 8) {
				this.inFlight.removeIf((taken) -> taken.stream().noneMatch((entry) -> entry.inFlight));
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		finished.forEach(Waiter::finish);
	}

	/**
	 * A future that completes when the given names, as committed so far, have been announced, or fails
	 * with {@link AnnouncementFailedException} if one of them was given up on. What depends on it runs
	 * on the thread that settles the last of them (an announcer's), outside the lock.
	 * @param names the record names, or null for every name waiting or in flight now
	 */
	CompletableFuture<Void> announced(@Nullable Collection<String> names) {
		Waiter waiter = new Waiter();
		this.lock.lock();
		try {
			takeIn();
			List<Entry> awaited = new ArrayList<>();
			if (names == null) {
				awaited.addAll(this.waiting.values());
				forEachInFlight(awaited::add);
			}
			else {
				// the newest entry of each name waiting or in flight
				Map<String, Entry> newest = new HashMap<>();
				if (this.inFlightCount > 0) {
					Set<String> wanted = new HashSet<>(names);
					forEachInFlight((entry) -> {
						if (wanted.contains(entry.name)) {
							awaited.add(entry);
							newest.merge(entry.name, entry, (a, b) -> (a.stamp > b.stamp) ? a : b);
						}
					});
				}
				for (String name : names) {
					Entry waitingEntry = this.waiting.get(name);
					if (waitingEntry != null) {
						awaited.add(waitingEntry);
						newest.put(name, waitingEntry);
					}
					GiveUp giveUp = this.givenUp.get(name);
					Entry latest = newest.get(name);
					// a give-up newer than every entry of the name: no request under way or to come covers it
					if (giveUp != null && (latest == null || latest.stamp < giveUp.stamp())) {
						waiter.failed(name, giveUp.kind());
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
			if (!awaited.isEmpty()) {
				return waiter.future;
			}
		}
		finally {
			this.lock.unlock();
		}
		waiter.finish();
		return waiter.future;
	}

	/** Each entry in flight; under the lock. */
	private void forEachInFlight(Consumer<Entry> action) {
		for (List<Entry> entries : this.inFlight) {
			for (Entry entry : entries) {
				if (entry.inFlight) {
					action.accept(entry);
				}
			}
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
			// names offered before are queued as before closing; those offered later are refused
			takeIn();
			this.closed = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return whether the queue is closed: names that arrive are given up on at once */
	boolean isClosed() {
		return this.closed;
	}

	/** @return whether the queue is closed and no name waits in it (names may still be in flight) */
	boolean isClosedAndEmpty() {
		this.lock.lock();
		try {
			takeIn();
			return this.closed && this.waiting.isEmpty();
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
			takeIn();
			while (!(this.waiting.isEmpty() && this.inFlightCount == 0) && nanos > 0) {
				nanos = this.changed.awaitNanos(nanos);
				takeIn();
			}
			return this.waiting.isEmpty() && this.inFlightCount == 0;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Removes the waiting names committed at least {@code maxAgeNanos} ago, oldest first (the order
	 * they wait in), for an announcer that gives up on them without trying each.
	 * @return the entries removed, in flight until {@link #settle}d as given up
	 */
	List<Entry> takeOlderThan(long maxAgeNanos) {
		long now = System.nanoTime();
		this.lock.lock();
		try {
			takeIn();
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
			this.waitingCount = this.waiting.size();
			markInFlight(expired);
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
			takeIn();
			List<Entry> all = new ArrayList<>(this.waiting.values());
			this.waiting.clear();
			this.waitingCount = 0;
			markInFlight(all);
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
			takeIn();
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
			takeIn();
			return this.waiting.size() + this.inFlightCount;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return how long the oldest waiting name has waited, in nanoseconds (0 if none) */
	long oldestAgeNanos() {
		this.lock.lock();
		try {
			takeIn();
			Iterator<Entry> it = this.waiting.values().iterator();
			return it.hasNext() ? System.nanoTime() - it.next().queuedNanos : 0;
		}
		finally {
			this.lock.unlock();
		}
	}

}
