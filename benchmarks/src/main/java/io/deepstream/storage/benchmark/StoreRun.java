package io.deepstream.storage.benchmark;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.announce.AnnouncerOptions;
import io.deepstream.storage.announce.EndpointState;
import io.deepstream.storage.announce.ServerAnnouncer;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.CompositeRecordStoreObserver;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.StoredRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One measurement of the record store and the listener in a fresh schema: every record set once as fast as the caller can ({@code set} blocks only while the buffer is
 * full), the wait for every INSERT notification, then sequential reads of committed records.
 */
final class StoreRun {

	private final BenchmarkOptions options;

	private final Workload workload;

	StoreRun(BenchmarkOptions options) {
		this.options = options;
		this.workload = new Workload(options.tables(), options.valueBytes());
	}

	Map<String, Object> run() throws Exception {
		BenchmarkDatabase database = this.options.database();
		String schema = BenchmarkDatabase.freshSchema("bench");
		NotificationLatency latency = new NotificationLatency(this.options.records());
		try (HikariDataSource pool = database.newPool(this.options.flushThreads() + 2, schema);
				ServerCpu serverCpu = new ServerCpu(database, schema)) {
			BatchStatistics batches = new BatchStatistics();
			ServerAnnouncer announcer = (this.options.serverUrl() != null)
					? new ServerAnnouncer(AnnouncerOptions.builder(this.options.serverUrl()).build()) : null;
			PostgresRecordStore store = new PostgresRecordStore(pool, StoreBenchmark.MAPPER,
					this.options.storeOptions(schema),
					(announcer != null) ? CompositeRecordStoreObserver.of(List.of(batches, announcer)) : batches);
			NotificationListener listener = new NotificationListener(database.listenerConnections(schema),
					ListenerOptions.builder().schema(schema).build());
			try {
				if (announcer != null) {
					announcer.start();
				}
				store.start();
				var listening = listener.subscribe(latency::received);
				listener.start();
				listening.get(30, TimeUnit.SECONDS);
				try (MemoryWatch memory = new MemoryWatch(() -> store.statistics().buffered())) {
					String loadAverage = loadAverage();
					batches.startCounting();
					serverCpu.reset();
					long cpuStart = processCpuNanos();
					ThreadCpu threads = new ThreadCpu();
					ThreadSchedule schedule = new ThreadSchedule();
					ThreadAllocation allocation = new ThreadAllocation();
					long start = System.nanoTime();
					WriteTracker writes = write(store, latency);
					long acceptNanos = writes.accepted() - start;
					long setCpuNanos = processCpuNanos() - cpuStart;
					Map<String, Long> setCpuByThread = threads.since();
					Map<String, Object> setSchedule = schedule.since();
					Map<String, Long> setAllocatedByThread = allocation.since();
					@Nullable Long setServerCpuMs = serverCpu.millis();
					long setNanos = writes.lastCompleted() - start;
					// every write is committed: what is still waiting for the deepstream server is all there is
					long announcedNanos = (announcer != null) ? awaitAnnounced(announcer) - start : -1;
					// the announcing threads' CPU from the first set until the last name was announced
					Map<String, Long> untilAnnouncedCpuByThread = (announcer != null) ? threads.since() : Map.of();
					boolean allArrived = latency.await(this.options.notifyTimeout().toNanos());
					long drainNanos = latency.lastReceived() - start;
					long getStart = System.nanoTime();
					int found = read(store);
					long getNanos = System.nanoTime() - getStart;
					Map<String, Object> result = result(setNanos, writes, getNanos, found, latency,
							allArrived ? drainNanos : -1, memory);
					result.put("acceptMs", Math.round(acceptNanos / 1e6));
					result.put("setClientCpuMs", Math.round(setCpuNanos / 1e6));
					result.put("setClientCpuMsByThread", setCpuByThread);
					result.put("setSchedule", setSchedule);
					result.put("setAllocatedKbByThread", setAllocatedByThread);
					result.put("allocatedBytesPerSet", Math.round(setAllocatedByThread.values().stream().mapToLong(Long::longValue).sum() * 1024.0 / this.options.records()));
					result.put("setServerCpuMs", setServerCpuMs);
					result.put("cpuUsPerSet", cpuPerSet(setCpuNanos / 1e6, setServerCpuMs,
							setCpuByThread.getOrDefault(ThreadCpu.MEASUREMENT, 0L)));
					result.put("batches", batches.summary());
					result.put("loadAverage", loadAverage);
					if (announcer != null) {
						EndpointState server = announcer.state().get(0);
						result.put("announcedMs", Math.round(announcedNanos / 1e6));
						result.put("notifyRequests", server.requests());
						result.put("namesAnnounced", server.namesAnnounced());
						result.put("namesGivenUp", server.namesGivenUp());
						long announcingCpuMs = untilAnnouncedCpuByThread.getOrDefault("announce", 0L)
								+ untilAnnouncedCpuByThread.getOrDefault("http", 0L);
						result.put("announceClientCpuMs", Map.of("announce", untilAnnouncedCpuByThread.getOrDefault("announce", 0L),
								"http", untilAnnouncedCpuByThread.getOrDefault("http", 0L)));
						result.put("announceClientCpuUsPerName", (server.namesAnnounced() > 0)
								? Math.round(announcingCpuMs * 1000.0 / server.namesAnnounced() * 100) / 100.0 : null);
					}
					return result;
				}
			}
			finally {
				store.close();
				if (announcer != null) {
					announcer.close();
				}
				listener.close();
				if (!this.options.keepSchemas()) {
					database.dropSchema(schema);
				}
			}
		}
	}

	/** Waits until every name committed so far has been announced; returns when (System.nanoTime). */
	private static long awaitAnnounced(ServerAnnouncer announcer) throws Exception {
		announcer.announced().get(2, TimeUnit.MINUTES);
		return System.nanoTime();
	}

	/** The machine's load average at the start, to judge how noisy a measurement was (Linux only). */
	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	/**
	 * CPU microseconds per record, of this JVM and of its server backends: on a shared machine a steadier
	 * measure than throughput.
	 */
	private Map<String, Object> cpuPerSet(double clientMs, @Nullable Long serverMs, long measurementMs) {
		Map<String, Object> perSet = new LinkedHashMap<>();
		double records = this.options.records();
		perSet.put("client", Math.round(clientMs * 1000 / records * 10) / 10.0);
		perSet.put("server", (serverMs != null) ? Math.round(serverMs * 1000 / records * 10) / 10.0 : null);
		// the client without the benchmark's own samplers, which an application does not run
		perSet.put("clientWithoutMeasurement", Math.round((clientMs - measurementMs) * 1000 / records * 10) / 10.0);
		return perSet;
	}

	/** CPU time of this JVM, all threads (compiler and GC included). */
	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/**
	 * Waits (at most ten seconds) until the JIT compiler has been idle for half a second: on two
	 * cores, compilations queued during the warm-up would otherwise run during the measurement.
	 */
	static void awaitCompilerQuiet() throws InterruptedException {
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
			Thread.sleep(1000);
			return;
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long last = compiler.getTotalCompilationTime();
		int quietPeriods = 0;
		while (quietPeriods < 5 && System.nanoTime() < deadline) {
			Thread.sleep(100);
			long now = compiler.getTotalCompilationTime();
			quietPeriods = (now == last) ? quietPeriods + 1 : 0;
			last = now;
		}
	}

	private WriteTracker write(PostgresRecordStore store, NotificationLatency latency) throws InterruptedException {
		int records = this.options.records();
		WriteTracker tracker = new WriteTracker(records);
		for (int i = 0; i < records; i++) {
			set(store, i, latency, tracker);
		}
		tracker.allAccepted();
		tracker.await();
		return tracker;
	}

	private void set(PostgresRecordStore store, int i, NotificationLatency latency, WriteTracker tracker) {
		latency.sent(i, System.nanoTime());
		store.set(this.workload.name(i), 1, this.workload.value(i)).whenComplete(tracker::completed);
	}

	private int read(PostgresRecordStore store) {
		int records = this.options.records();
		int gets = this.options.gets();
		int stride = Math.max(1, records / Math.max(1, gets));
		int found = 0;
		for (int g = 0; g < gets; g++) {
			int i = (int) (((long) g * stride) % records);
			StoredRecord record = store.get(this.workload.name(i));
			JsonNode value = record.value();
			if (value != null && value.get("n").asInt() == i) {
				found++;
			}
		}
		return found;
	}

	private Map<String, Object> result(long setNanos, WriteTracker writes, long getNanos, int found,
			NotificationLatency latency, long drainNanos, MemoryWatch memory) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("impl", "java-store");
		result.put("records", this.options.records());
		result.put("tables", this.options.tables());
		result.put("valueBytes", this.options.valueBytes());
		result.put("writeIntervalMs", this.options.writeInterval().toMillis());
		result.put("jsonb", this.options.jsonb());
		result.put("batchSize", this.options.batchSize());
		result.put("maxBuffered", this.options.maxBuffered());
		result.put("flushThreads", this.options.flushThreads());
		result.put("warmup", this.options.warmup());
		result.put("setMs", Math.round(setNanos / 1e6));
		result.put("setPerSec", Math.round(this.options.records() / (setNanos / 1e9)));
		result.put("setsFailed", writes.failed());
		if (writes.firstFailure() != null) {
			result.put("firstFailure", String.valueOf(writes.firstFailure()));
		}
		result.put("getSequential", this.options.gets());
		result.put("getsFound", found);
		result.put("getMs", Math.round(getNanos / 1e6));
		result.put("getPerSec", (getNanos > 0) ? Math.round(this.options.gets() / (getNanos / 1e9)) : null);
		result.put("notifyLatencyMs", latency.summary());
		result.put("notifyDrainMs", (drainNanos >= 0) ? Math.round(drainNanos / 1e6) : null);
		result.put("peakHeapMb", memory.peakUsedMb());
		result.put("peakHeapAfterGcMb", memory.peakAfterGcMb());
		result.put("maxHeapMb", MemoryWatch.maxHeapMb());
		result.put("peakBuffered", memory.peakBuffered());
		result.put("runtime", "java " + Runtime.version());
		return result;
	}

}
