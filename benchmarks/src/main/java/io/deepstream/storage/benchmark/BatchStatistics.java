package io.deepstream.storage.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import io.deepstream.storage.store.RecordStoreObserver;

/**
 * What the store's flush threads did during the measurement: how many batches, how large, and how
 * long writing them took in total (over all threads), which shows whether the flush threads or the
 * caller were the bottleneck.
 */
final class BatchStatistics implements RecordStoreObserver {

	private final LongAdder batches = new LongAdder();

	private final LongAdder writes = new LongAdder();

	private final LongAdder nanos = new LongAdder();

	private final LongAccumulator largest = new LongAccumulator(Math::max, 0);

	private volatile boolean counting;

	void startCounting() {
		this.counting = true;
	}

	@Override
	public void batchCommitted(String table, int writes, long nanos) {
		if (this.counting) {
			this.batches.increment();
			this.writes.add(writes);
			this.nanos.add(nanos);
			this.largest.accumulate(writes);
		}
	}

	Map<String, Object> summary() {
		long count = this.batches.sum();
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("count", count);
		summary.put("meanSize", (count > 0) ? Math.round((double) this.writes.sum() / count) : 0);
		summary.put("largest", this.largest.get());
		summary.put("writeMsTotal", Math.round(this.nanos.sum() / 1e6));
		summary.put("meanWriteMs", (count > 0) ? Math.round(this.nanos.sum() / 1e5 / count) / 10.0 : 0);
		return summary;
	}

}
