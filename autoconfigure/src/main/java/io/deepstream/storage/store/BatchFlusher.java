package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link WriteBuffer}: every {@code writeInterval} it takes a batch from each table with
 * pending writes, and at once whenever a table has a full batch. Batches of different tables are
 * written concurrently on {@code flushThreads} threads, small ones {@linkplain #groups together} in
 * one transaction; a table never has two batches in flight. While every thread has a group waiting
 * for it, it takes nothing more: the writes that arrive meanwhile join their tables' next batches.
 * {@link #close} keeps flushing until every accepted write is committed or has failed.
 * Its threads come from {@link Threads}: its own by default, or the application's.
 */
final class BatchFlusher {

	private static final Logger logger = LoggerFactory.getLogger(BatchFlusher.class);

	private static final AtomicInteger instances = new AtomicInteger();

	/**
	 * The most tables in one group that may have to be created. Creating a table holds several locks
	 * until commit (the table, its TOAST table and index, its primary key, our advisory lock): a group
	 * of 3,000 new tables ran out of PostgreSQL's lock table with the default
	 * {@code max_locks_per_transaction}, failed after seconds of work and was written again table by
	 * table (149 sets per second in that run, 1,173 with this limit). A creation also costs the server
	 * milliseconds of CPU, so a group of many kept one backend busy while the other threads waited.
	 */
	static final int MAX_NEW_TABLES_PER_GROUP = 8;

	/**
	 * The fewest writes a take must hold before its groups are spread over the flush threads. Below it
	 * a take is one transaction (one commit for a trickle of writes over several tables); above it each
	 * thread's share is worth a commit of its own. Under a steady 10,000 sets per second over 10 tables
	 * one transaction of a take's 2,000 writes took 43 ms on average (PostgreSQL's CPU, in one backend),
	 * while three threads stood idle, and 1% of the writes waited more than the interval and 50 ms for
	 * their commit.
	 */
	static final int MIN_WRITES_TO_SPREAD = 500;

	private final WriteBuffer buffer;

	private final FlushSignal signal;

	private final Writer writer;

	private final long intervalNanos;

	private final int maxBatchSize;

	private final int flushThreads;

	/** The writing threads; the groups in its queue are those that none of them has started yet. */
	private final ThreadPoolExecutor workers;

	private final Thread coordinator;

	private volatile boolean closing;

	BatchFlusher(WriteBuffer buffer, FlushSignal signal, Writer writer, Duration writeInterval, int flushThreads,
			int maxBatchSize, Threads threads) {
		this.buffer = buffer;
		this.signal = signal;
		this.writer = writer;
		this.intervalNanos = writeInterval.toNanos();
		this.maxBatchSize = maxBatchSize;
		this.flushThreads = flushThreads;
		this.workers = new ThreadPoolExecutor(flushThreads, flushThreads, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), threads.writers());
		Thread thread = threads.coordinator().newThread(this::run);
		if (thread == null) {
			throw new IllegalStateException("The thread factory " + threads.coordinator() + " made no flusher thread");
		}
		this.coordinator = thread;
	}

	void start() {
		this.coordinator.start();
	}

	/** Asks for a flush of everything pending now, without waiting for the interval. */
	void flushNow() {
		this.flushRequested = true;
		this.signal.raise();
	}

	private volatile boolean flushRequested;

	private void run() {
		long nextSweep = System.nanoTime() + this.intervalNanos;
		try {
			while (true) {
				// Cleared before anything is read: a signal raised from here on (a flush request, closing,
				// work this take may not see) keeps the wait below from sleeping. Cleared after reading
				// flushRequested, a flushNow() in between was lost, and its flush waited for the interval.
				this.signal.clear();
				boolean closingNow = this.closing;
				if (closingNow && this.buffer.isEmpty()) {
					return;
				}
				if (!closingNow && this.workers.getQueue().size() >= this.flushThreads) {
					// Every thread has a group waiting for it already: what is taken now would only wait
					// in the queue, while the writes that arrive meanwhile would make batches of their own.
					// Left in the buffer, they join their tables' next batches, taken when a thread is
					// free (each finished batch raises the signal). With 1,000 tables and a full buffer,
					// taking every table again as soon as its batch was done made 2,152 - 2,744 batches of
					// 100,000 writes, each a statement that PostgreSQL parses and plans. A sweep that falls
					// due meanwhile waits for a free thread too (so the wait here is not until it is due).
					this.signal.await(this.intervalNanos);
					continue;
				}
				long now = System.nanoTime();
				boolean sweep = closingNow || this.flushRequested || now - nextSweep >= 0;
				if (sweep) {
					this.flushRequested = false;
					nextSweep = now + this.intervalNanos;
				}
				List<TableBatch> batches = this.buffer.take(sweep);
				for (List<TableBatch> group : groups(batches, this.maxBatchSize, this.flushThreads, this.writer::mayCreate)) {
					this.workers.execute(() -> writeAndSettle(group));
				}
				if (batches.isEmpty()) {
					this.signal.await(Math.max(0, nextSweep - System.nanoTime()));
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | Error ex) {
			logger.error("Write-behind flusher stopped unexpectedly", ex);
			throw ex;
		}
	}

	/**
	 * Puts small batches of different tables together, in table order: each group is one transaction,
	 * so many tables, or a steady trickle of writes over several tables, cost one commit per group
	 * instead of one per table. A group holds
	 * <ul>
	 * <li>at most {@code maxBatchSize} writes (a full batch stays a group of its own);</li>
	 * <li>when the take holds at least {@link #MIN_WRITES_TO_SPREAD} writes, about its share for one of
	 * the {@code flushThreads} (a group is closed once it has that many), so that the threads write a
	 * take's groups at once instead of one of them writing it all;</li>
	 * <li>at most {@link #MAX_NEW_TABLES_PER_GROUP} tables that this store has not written yet, since
	 * each may have to be created: a {@code CREATE TABLE} with its index and trigger costs PostgreSQL
	 * milliseconds of CPU, and a group's writes are committed, and their notifications sent, only
	 * after all of its tables are.</li>
	 * </ul>
	 * @param batches the batches of one take, of different tables
	 * @param maxBatchSize the most writes in a group
	 * @param flushThreads the threads that write the groups
	 * @param isNew whether a table may have to be created
	 * @return the groups, each in table order
	 */
	static List<List<TableBatch>> groups(List<TableBatch> batches, int maxBatchSize, int flushThreads,
			Predicate<String> isNew) {
		if (batches.size() <= 1) {
			return batches.isEmpty() ? List.of() : List.of(batches);
		}
		List<TableBatch> sorted = new ArrayList<>(batches);
		sorted.sort(Comparator.comparing(TableBatch::table));
		long writes = 0;
		for (TableBatch batch : sorted) {
			writes += batch.size();
		}
		// a take of fewer writes than the least share never fills a group by it: one transaction
		long share = Math.max(MIN_WRITES_TO_SPREAD, (writes + flushThreads - 1) / flushThreads);
		List<List<TableBatch>> groups = new ArrayList<>();
		List<TableBatch> group = new ArrayList<>();
		int size = 0;
		int newTables = 0;
		for (TableBatch batch : sorted) {
			boolean isNewTable = isNew.test(batch.table());
			boolean full = size + batch.size() > maxBatchSize || size >= share
					|| (isNewTable && newTables == MAX_NEW_TABLES_PER_GROUP);
			if (!group.isEmpty() && full) {
				groups.add(group);
				group = new ArrayList<>();
				size = 0;
				newTables = 0;
			}
			group.add(batch);
			size += batch.size();
			newTables += isNewTable ? 1 : 0;
		}
		groups.add(group);
		return groups;
	}

	private void writeAndSettle(List<TableBatch> group) {
		if (group.size() == 1) {
			writeAndSettle(group.get(0));
			return;
		}
		List<BatchOutcome> outcomes;
		try {
			outcomes = this.writer.writeTogether(group);
		}
		catch (RuntimeException | Error ex) {
			// Not known to have written nothing (it may have come after the commit): failed, as a single
			// batch's unexpected failure is, rather than written again.
			logger.warn("Writing {} tables' batches together failed unexpectedly", group.size(), ex);
			for (TableBatch batch : group) {
				settle(batch, unexpected(batch, ex));
			}
			return;
		}
		if (outcomes == null) {
			// nothing was written (the writer's contract): each batch on its own, so that a failure fails
			// only its own table's writes
			group.forEach(this::writeAndSettle);
			return;
		}
		for (int i = 0; i < group.size(); i++) {
			settle(group.get(i), outcomes.get(i));
		}
	}

	private void writeAndSettle(TableBatch batch) {
		BatchOutcome outcome;
		try {
			outcome = this.writer.write(batch);
		}
		catch (RuntimeException | Error ex) {
			outcome = unexpected(batch, ex);
		}
		settle(batch, outcome);
	}

	private static BatchOutcome unexpected(TableBatch batch, Throwable failure) {
		return new BatchOutcome(new RecordWriteException("Write to " + batch.table() + " failed unexpectedly", failure),
				Map.of());
	}

	private void settle(TableBatch batch, BatchOutcome outcome) {
		// Release first, then settle: a caller resumed by its future finds the write committed in the
		// database (or, after a failure, no longer readable), no longer counted as buffered, and the
		// room it took free again.
		this.buffer.done(batch);
		outcome.settle(batch);
	}

	/**
	 * Flushes every accepted write, then stops the threads.
	 * @param timeout how long to wait for the last batches
	 * @return true if everything was written (or failed visibly) in time
	 */
	boolean close(Duration timeout) throws InterruptedException {
		this.closing = true;
		this.buffer.close();
		this.signal.raise();
		long deadline = System.nanoTime() + timeout.toNanos();
		this.coordinator.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
		boolean drained = !this.coordinator.isAlive();
		this.workers.shutdown();
		drained &= this.workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		if (!drained) {
			this.coordinator.interrupt();
			this.workers.shutdownNow();
			List<PendingWrite> abandoned = this.buffer.abandonQueued();
			logger.warn("{} writes were not committed within {} of closing the store; their futures fail",
					abandoned.size() + this.buffer.uncommitted(), timeout);
			RecordWriteException failure = new RecordWriteException("The record store closed before this write was committed",
					new IllegalStateException("close timed out after " + timeout));
			abandoned.forEach((write) -> write.fail(failure));
		}
		return drained;
	}

	/**
	 * What writes the groups: {@link BatchWriter}.
	 */
	interface Writer {

		/**
		 * Writes one table's batch, retrying as needed, without settling its futures.
		 * @param batch the batch
		 * @return how it ended
		 */
		BatchOutcome write(TableBatch batch);

		/**
		 * Writes several tables' batches in one transaction, without settling their futures. Null means
		 * that nothing was written, and only then does the flusher write each batch again on its own: a
		 * transaction whose {@code COMMIT} failed and may have committed ends in outcomes that fail every
		 * batch with {@link CommitOutcomeUnknownException}, never in null.
		 * @param batches batches of different tables, in table order
		 * @return their outcomes in the same order, or null if the transaction did not commit (nothing
		 * written)
		 */
		@Nullable List<BatchOutcome> writeTogether(List<TableBatch> batches);

		/**
		 * Whether a batch of the table may have to create it.
		 * @param table a table name
		 * @return true unless the table is known to exist
		 */
		boolean mayCreate(String table);

	}

	/**
	 * Where the flusher's threads come from: one coordinator, which takes the batches from the
	 * buffer, and up to {@code flushThreads} writers, which write them.
	 * @param coordinator makes the coordinating thread, once
	 * @param writers makes the writing threads, as the pool needs them
	 */
	record Threads(ThreadFactory coordinator, ThreadFactory writers) {

		/**
		 * The flusher's own threads, {@code deepstream-flusher-<n>} and {@code deepstream-flush-<n>-<k>}.
		 * They are not daemons: the JVM does not exit while accepted writes wait for their commit.
		 * @return a flusher's threads, numbered apart from every other flusher's
		 */
		static Threads named() {
			int instance = instances.incrementAndGet();
			return new Threads(named("deepstream-flusher-" + instance), named("deepstream-flush-" + instance + "-"));
		}

		/**
		 * Every thread from one factory of the application's.
		 * @param threadFactory the factory
		 * @return the threads
		 */
		static Threads from(ThreadFactory threadFactory) {
			return new Threads(threadFactory, threadFactory);
		}

		private static ThreadFactory named(String prefix) {
			AtomicInteger count = new AtomicInteger();
			return (runnable) -> {
				Thread thread = new Thread(runnable, prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix);
				thread.setDaemon(false);
				return thread;
			};
		}

	}

}
