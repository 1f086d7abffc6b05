package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.RecordName;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When {@link BatchFlusher} takes batches from the buffer while its threads are busy, with the real
 * buffer and signal and a writer that holds its first batch until told (the writing itself is
 * {@link BatchWriter}'s, against PostgreSQL, in the integration tests).
 */
class BatchFlusherBacklogTests {

	private final FlushSignal signal = new FlushSignal();

	private final WriteBuffer buffer = new WriteBuffer(this.signal, 100, 1000, WhenBufferFull.FAIL,
			Duration.ofSeconds(10), false);

	private final HoldingWriter writer = new HoldingWriter();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	@Test
	void writesThatArriveWhileEveryThreadHasABatchWaitingGoInOneBatchWhenAThreadIsFree() throws Exception {
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "backlog-test-" + this.threads.size());
			thread.setDaemon(true);
			this.threads.add(thread);
			return thread;
		};
		// one thread, and no interval within the test: every take here follows a flushNow()
		BatchFlusher flusher = new BatchFlusher(this.buffer, this.signal, this.writer, Duration.ofHours(1), 1, 100,
				BatchFlusher.Threads.from(factory));
		Thread coordinator = this.threads.get(0);
		flusher.start();
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		try {
			futures.add(set("a", "1"));
			flushNowAndWait(flusher, coordinator);
			await().atMost(Duration.ofSeconds(10)).until(() -> this.writer.started.size() == 1);
			// the thread is busy with a's batch: b's is taken and waits for it
			futures.add(set("b", "1"));
			flushNowAndWait(flusher, coordinator);
			// every thread has a batch waiting: c's writes stay in the buffer, however often it is flushed
			futures.add(set("c", "1"));
			flushNowAndWait(flusher, coordinator);
			futures.add(set("c", "2"));
			flushNowAndWait(flusher, coordinator);
			this.writer.release.countDown();
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
			assertThat(this.writer.started).extracting((batch) -> batch.table() + ":" + batch.size())
				.containsExactly("a:1", "b:1", "c:2");
		}
		finally {
			this.writer.release.countDown();
			flusher.close(Duration.ofSeconds(10));
		}
	}

	private CompletableFuture<Void> set(String table, String id) throws InterruptedException {
		return this.buffer.add(new RecordName(table, id), PendingWrite.upsert(id, 1, "{}"));
	}

	/**
	 * Asks for a flush and waits until the flusher has looked: it cleared the signal after the request
	 * and waits for the next one.
	 */
	private void flushNowAndWait(BatchFlusher flusher, Thread coordinator) {
		flusher.flushNow();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !this.signal.isRaised() && coordinator.getState() == Thread.State.TIMED_WAITING);
	}

	/** Writes nothing: records the batches it is given, and holds the first until released. */
	private static final class HoldingWriter implements BatchFlusher.Writer {

		private final List<TableBatch> started = new CopyOnWriteArrayList<>();

		private final CountDownLatch release = new CountDownLatch(1);

		@Override
		public BatchOutcome write(TableBatch batch) {
			this.started.add(batch);
			if (this.started.size() == 1) {
				try {
					this.release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return new BatchOutcome(null, Map.of());
		}

		@Override
		public @Nullable List<BatchOutcome> writeTogether(List<TableBatch> batches) {
			this.started.addAll(batches);
			return batches.stream().map((batch) -> new BatchOutcome(null, Map.of())).toList();
		}

		@Override
		public boolean mayCreate(String table) {
			return false;
		}

	}

}
