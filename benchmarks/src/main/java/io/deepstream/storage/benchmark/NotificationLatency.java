package io.deepstream.storage.benchmark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.listen.Notification;
import org.jspecify.annotations.Nullable;

/**
 * Time from each record's {@code set} call to its INSERT notification reaching the listener's
 * callback. {@link #sent} is called by the writing thread, {@link #received} on the listener thread.
 */
final class NotificationLatency {

	private final long[] sentAt;

	private final long[] receivedAt;

	private final CountDownLatch pending;

	private volatile long lastReceived;

	NotificationLatency(int records) {
		this.sentAt = new long[records];
		this.receivedAt = new long[records];
		this.pending = new CountDownLatch(records);
	}

	void sent(int index, long nanos) {
		this.sentAt[index] = nanos;
	}

	void received(Notification notification) {
		if (notification.kind() != ChangeKind.INSERT) {
			return;
		}
		String id = notification.id();
		if (id == null) {
			return;
		}
		long now = System.nanoTime();
		int index = Workload.index(id);
		if (this.receivedAt[index] == 0) {
			this.receivedAt[index] = now;
			this.lastReceived = now;
			this.pending.countDown();
		}
	}

	/**
	 * Waits for every INSERT notification, or the timeout.
	 * @return whether all arrived
	 */
	boolean await(long timeoutNanos) throws InterruptedException {
		return this.pending.await(timeoutNanos, TimeUnit.NANOSECONDS);
	}

	long lastReceived() {
		return this.lastReceived;
	}

	/**
	 * The latency percentiles in milliseconds, over the notifications that arrived.
	 * @return p50, p99, max and n
	 */
	Map<String, Object> summary() {
		// read after await(): the latch orders the listener thread's writes before this read
		long[] latencies = new long[this.sentAt.length];
		int n = 0;
		for (int i = 0; i < this.sentAt.length; i++) {
			if (this.receivedAt[i] != 0) {
				latencies[n++] = this.receivedAt[i] - this.sentAt[i];
			}
		}
		return percentiles(latencies, n);
	}

	/**
	 * Percentiles of latencies.
	 * @param latencies nanoseconds, the first {@code n} used (sorted in place)
	 * @param n how many
	 * @return p50, p99, max and n, in milliseconds
	 */
	static Map<String, Object> percentiles(long[] latencies, int n) {
		Arrays.sort(latencies, 0, n);
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("p50", percentile(latencies, n, 50));
		summary.put("p99", percentile(latencies, n, 99));
		summary.put("max", percentile(latencies, n, 100));
		summary.put("n", n);
		return summary;
	}

	private static @Nullable Double percentile(long[] sorted, int n, int p) {
		if (n == 0) {
			return null;
		}
		int index = Math.min(n - 1, Math.max(0, (int) Math.ceil(p / 100.0 * n) - 1));
		return Math.round(sorted[index] / 100_000.0) / 10.0;
	}

}
