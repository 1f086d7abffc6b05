package io.deepstream.storage.listen;

import java.time.Duration;

/**
 * Capped exponential backoff between reconnect attempts: the initial pause, doubled after each
 * failure, never longer than the maximum. Used by the listener thread only.
 */
final class ReconnectBackoff {

	private final Duration initial;

	private final Duration max;

	private Duration next;

	ReconnectBackoff(Duration initial, Duration max) {
		this.initial = initial;
		this.max = max;
		this.next = initial;
	}

	/**
	 * The pause before the next attempt; the one after it is twice as long, up to the maximum.
	 * @return the pause
	 */
	Duration next() {
		Duration pause = this.next;
		Duration doubled = pause.multipliedBy(2);
		this.next = (doubled.compareTo(this.max) > 0) ? this.max : doubled;
		return pause;
	}

	/**
	 * Starts again from the initial pause: after losing a connection that had lived long enough to
	 * count as a success (at least {@code validationInterval}), not after every connect, so that a
	 * connection dropped right after it was made keeps the pauses growing.
	 */
	void reset() {
		this.next = this.initial;
	}

}
