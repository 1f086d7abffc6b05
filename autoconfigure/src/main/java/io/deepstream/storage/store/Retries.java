package io.deepstream.storage.store;

import java.time.Duration;

/**
 * The retries of one batch: how many it has made out of {@code max-retries}, and the capped
 * exponential backoff before each. Writing the batch again and asking PostgreSQL whether a failed
 * {@code COMMIT} committed draw on the same count, so that a batch settles within the bound that
 * {@code DeepstreamStoragePoolSettings.settleBound} documents. Not thread-safe: one batch, one thread.
 */
final class Retries {

	private final int max;

	private final long initialMillis;

	private final long maxMillis;

	private int made;

	Retries(RecordStoreOptions options) {
		this(options.maxRetries(), options.retryInitialBackoff(), options.retryMaxBackoff());
	}

	Retries(int max, Duration initialBackoff, Duration maxBackoff) {
		this.max = max;
		this.initialMillis = initialBackoff.toMillis();
		this.maxMillis = maxBackoff.toMillis();
	}

	/** @return whether a retry is left */
	boolean left() {
		return this.made < this.max;
	}

	/** @return the retries made so far */
	int made() {
		return this.made;
	}

	/**
	 * Counts a retry, without pausing.
	 * @return its number, from 1
	 */
	int count() {
		return ++this.made;
	}

	/**
	 * Pauses for the backoff of the retry last counted: the initial backoff, doubled for each retry
	 * before it, at most the maximum.
	 * @return false if the thread was interrupted (its interrupt flag set again): give up
	 */
	boolean pause() {
		long delay = Math.min(this.maxMillis, this.initialMillis << Math.min(Math.max(this.made - 1, 0), 20));
		try {
			Thread.sleep(delay);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
