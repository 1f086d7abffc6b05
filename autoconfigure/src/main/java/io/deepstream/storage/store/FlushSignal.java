package io.deepstream.storage.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the flusher's thread before its interval is up. Whoever has work for it raises the signal:
 * the {@link WriteBuffer} when a table has a full batch, when writers wait for room and when a batch is
 * done (writes may have queued up behind it), the {@link BatchFlusher} itself for
 * {@link BatchFlusher#flushNow() flushNow} and for closing. The flusher clears the signal before it
 * looks for work and, when it found none, waits for the signal up to its next interval. A signal
 * raised while the flusher is busy stays raised until it looks again, so none is lost.
 */
final class FlushSignal {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition raised = this.lock.newCondition();

	private boolean signalled;

	/** Wakes the flusher, or keeps it from waiting the next time it would. */
	void raise() {
		this.lock.lock();
		try {
			this.signalled = true;
			this.raised.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether a signal is raised that the flusher has not cleared yet. */
	boolean isRaised() {
		this.lock.lock();
		try {
			return this.signalled;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Forgets earlier signals: the flusher is about to look at everything they were about. */
	void clear() {
		this.lock.lock();
		try {
			this.signalled = false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until the signal is raised or the timeout passes.
	 * @param timeoutNanos the longest wait
	 * @return true if the signal was raised
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean await(long timeoutNanos) throws InterruptedException {
		this.lock.lock();
		try {
			long nanos = timeoutNanos;
			while (!this.signalled && nanos > 0) {
				nanos = this.raised.awaitNanos(nanos);
			}
			return this.signalled;
		}
		finally {
			this.lock.unlock();
		}
	}

}
