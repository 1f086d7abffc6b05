package io.deepstream.storage.benchmark;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Counts the completed {@code set} futures of a run and remembers when the last one completed.
 * {@link #completed} runs on the store's flush threads.
 */
final class WriteTracker {

	private final CountDownLatch remaining;

	private final AtomicLong lastCompleted = new AtomicLong();

	private final AtomicInteger failed = new AtomicInteger();

	private volatile @Nullable Throwable firstFailure;

	private volatile long accepted;

	WriteTracker(int writes) {
		this.remaining = new CountDownLatch(writes);
	}

	void completed(@Nullable Object ignored, @Nullable Throwable failure) {
		if (failure != null && this.failed.getAndIncrement() == 0) {
			this.firstFailure = failure;
		}
		this.lastCompleted.accumulateAndGet(System.nanoTime(), Math::max);
		this.remaining.countDown();
	}

	/** Notes that the last {@code set} call has returned. */
	void allAccepted() {
		this.accepted = System.nanoTime();
	}

	long accepted() {
		return this.accepted;
	}

	void await() throws InterruptedException {
		this.remaining.await();
	}

	long lastCompleted() {
		return this.lastCompleted.get();
	}

	int failed() {
		return this.failed.get();
	}

	@Nullable Throwable firstFailure() {
		return this.firstFailure;
	}

}
