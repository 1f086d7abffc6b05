package io.deepstream.storage.benchmark;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.event.NotificationEventBridge;
import io.deepstream.storage.event.RecordInsertedEvent;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreObserver;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * The steady load of {@code --rate}: {@code rate} sets per second, evenly spaced, for
 * {@code duration}, each record once, in a fresh schema. It measures what an application sees
 * under a load the store keeps up with, rather than in a burst:
 * <ul>
 * <li>from the commit of a record's batch (the store's observer is told right after
 * {@code commit()} returns) to its {@link RecordInsertedEvent} reaching an {@code @EventListener}
 * of a Spring application context, through the {@link NotificationListener} and the
 * {@link NotificationEventBridge}, as in an application;</li>
 * <li>from the {@code set} call to that event, and to the future's completion (the
 * acknowledgement).</li>
 * </ul>
 * The schedule is open-loop: the caller does not wait for anything but the clock, so a store that
 * falls behind shows as a growing {@code behindScheduleMs}, not as a lower rate.
 */
final class SteadyLoadRun {

	private final BenchmarkOptions options;

	private final Workload workload;

	private final int records;

	private final long[] sentAt;

	private final long[] committedAt;

	private final long[] acknowledgedAt;

	private final long[] deliveredAt;

	private final CountDownLatch acknowledged;

	private final CountDownLatch delivered;

	private final AtomicInteger failed = new AtomicInteger();

	SteadyLoadRun(BenchmarkOptions options) {
		this.options = options;
		this.workload = new Workload(options.tables(), options.valueBytes());
		this.records = options.records();
		this.sentAt = new long[this.records];
		this.committedAt = new long[this.records];
		this.acknowledgedAt = new long[this.records];
		this.deliveredAt = new long[this.records];
		this.acknowledged = new CountDownLatch(this.records);
		this.delivered = new CountDownLatch(this.records);
	}

	Map<String, Object> run() throws Exception {
		BenchmarkDatabase database = this.options.database();
		String schema = BenchmarkDatabase.freshSchema("bench_rate");
		try (HikariDataSource pool = database.newPool(this.options.flushThreads() + 2, schema);
				ServerCpu serverCpu = new ServerCpu(database, schema);
				AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(Receiver.class, () -> new Receiver(this));
			context.refresh();
			BatchStatistics batches = new BatchStatistics();
			PostgresRecordStore store = new PostgresRecordStore(pool, StoreBenchmark.MAPPER,
					this.options.storeOptions(schema), new CommitClock(batches));
			NotificationListener listener = new NotificationListener(database.listenerConnections(schema),
					ListenerOptions.builder().schema(schema).build());
			NotificationEventBridge bridge = new NotificationEventBridge(context, listener);
			try {
				store.start();
				var listening = bridge.subscribe();
				listener.start();
				listening.get(30, TimeUnit.SECONDS);
				String loadAverage = StoreRun.loadAverage();
				batches.startCounting();
				serverCpu.reset();
				long cpuStart = processCpuNanos();
				ThreadCpu threads = new ThreadCpu();
				long behind = write(store);
				boolean allAcknowledged = this.acknowledged.await(this.options.notifyTimeout().toNanos(),
						TimeUnit.NANOSECONDS);
				boolean allDelivered = this.delivered.await(this.options.notifyTimeout().toNanos(), TimeUnit.NANOSECONDS);
				long cpuNanos = processCpuNanos() - cpuStart;
				Map<String, Long> cpuByThread = threads.since();
				@Nullable Long serverMs = serverCpu.millis();
				Map<String, Object> result = new LinkedHashMap<>();
				result.put("impl", "java-store-steady");
				result.put("rate", this.options.rate());
				result.put("durationS", this.options.duration().toSeconds());
				result.put("records", this.records);
				result.put("tables", this.options.tables());
				result.put("valueBytes", this.options.valueBytes());
				result.put("writeIntervalMs", this.options.writeInterval().toMillis());
				result.put("maxBuffered", this.options.maxBuffered());
				result.put("flushThreads", this.options.flushThreads());
				result.put("setsFailed", this.failed.get());
				result.put("allAcknowledged", allAcknowledged);
				result.put("allDelivered", allDelivered);
				result.put("behindScheduleMaxMs", Math.round(behind / 1e5) / 10.0);
				result.put("commitToEventMs", summary(this.committedAt, this.deliveredAt));
				result.put("setToEventMs", summary(this.sentAt, this.deliveredAt));
				result.put("setToAckMs", summary(this.sentAt, this.acknowledgedAt));
				result.put("cpuUsPerSet", Map.of("client", Math.round(cpuNanos / 1e3 / this.records * 10) / 10.0,
						"server", (serverMs != null) ? Math.round(serverMs * 1e3 / this.records * 10) / 10.0 : "-"));
				result.put("clientCpuMsByThread", cpuByThread);
				result.put("batches", batches.summary());
				result.put("loadAverage", loadAverage);
				result.put("runtime", "java " + Runtime.version());
				return result;
			}
			finally {
				store.close();
				bridge.close();
				listener.close();
				if (!this.options.keepSchemas()) {
					database.dropSchema(schema);
				}
			}
		}
	}

	/**
	 * Sets every record at its slot of the schedule.
	 * @return how far (nanoseconds) the caller fell behind the schedule at most
	 */
	private long write(PostgresRecordStore store) {
		double intervalNanos = 1e9 / this.options.rate();
		long start = System.nanoTime();
		long behind = 0;
		for (int i = 0; i < this.records; i++) {
			long slot = start + (long) (i * intervalNanos);
			long now = System.nanoTime();
			while (now < slot) {
				LockSupport.parkNanos(slot - now);
				now = System.nanoTime();
			}
			behind = Math.max(behind, now - slot);
			int index = i;
			this.sentAt[i] = now;
			store.set(this.workload.name(i), 1, this.workload.value(i)).whenComplete((ignored, failure) -> {
				this.acknowledgedAt[index] = System.nanoTime();
				if (failure != null) {
					this.failed.incrementAndGet();
				}
				this.acknowledged.countDown();
			});
		}
		return behind;
	}

	/** Percentiles of {@code to[i] - from[i]} in milliseconds, over the records where both happened. */
	private static Map<String, Object> summary(long[] from, long[] to) {
		long[] latencies = new long[from.length];
		int n = 0;
		for (int i = 0; i < from.length; i++) {
			if (from[i] != 0 && to[i] != 0) {
				latencies[n++] = to[i] - from[i];
			}
		}
		return NotificationLatency.percentiles(latencies, n);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/**
	 * Notes when each record's batch committed: the store tells its observer right after
	 * {@code commit()} returns, on the flush thread. The arrays are read after the latches, which order
	 * these writes before the reads.
	 */
	private final class CommitClock implements RecordStoreObserver {

		private final BatchStatistics batches;

		CommitClock(BatchStatistics batches) {
			this.batches = batches;
		}

		@Override
		public void batchCommitted(String table, int writes, long nanos) {
			this.batches.batchCommitted(table, writes, nanos);
		}

		@Override
		public void recordsCommitted(String table, List<String> ids) {
			long now = System.nanoTime();
			for (String id : ids) {
				int index = Workload.index(id);
				if (index < SteadyLoadRun.this.records) {
					SteadyLoadRun.this.committedAt[index] = now;
				}
			}
		}

	}

	/** The application's side: an {@code @EventListener} that notes when each INSERT event arrives. */
	static final class Receiver {

		private final SteadyLoadRun run;

		Receiver(SteadyLoadRun run) {
			this.run = run;
		}

		@EventListener
		public void inserted(RecordInsertedEvent event) {
			long now = System.nanoTime();
			int index = Workload.index(event.getId());
			if (index < this.run.records && this.run.deliveredAt[index] == 0) {
				this.run.deliveredAt[index] = now;
				this.run.delivered.countDown();
			}
		}

	}

}
