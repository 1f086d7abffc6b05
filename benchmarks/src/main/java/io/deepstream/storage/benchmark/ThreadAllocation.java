package io.deepstream.storage.benchmark;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Bytes allocated on the heap by this JVM's Java threads, by kind (caller, flush, listener, ...), read
 * from HotSpot's per-thread counters. Unlike the throughput, this hardly varies from one run to the
 * next, so it shows a change in the garbage per write on a noisy machine. A thread that ended before
 * {@link #since()} is not counted; JIT and GC threads allocate nothing on the heap.
 */
final class ThreadAllocation {

	private final com.sun.management.@Nullable ThreadMXBean threads;

	private final Map<Long, Long> start;

	ThreadAllocation() {
		this.threads = (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
				&& bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) ? bean : null;
		this.start = snapshot();
	}

	/**
	 * Kilobytes allocated per kind of thread since construction.
	 * @return kind to kilobytes, largest first; empty where the JVM does not count
	 */
	Map<String, Long> since() {
		if (this.threads == null) {
			return Map.of();
		}
		Map<String, Long> bytes = new HashMap<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			long allocated = this.threads.getThreadAllocatedBytes(thread.getId());
			if (allocated > 0) {
				long delta = allocated - this.start.getOrDefault(thread.getId(), 0L);
				bytes.merge(ThreadCpu.kind(thread.getName()), delta, Long::sum);
			}
		}
		Map<String, Long> sorted = new LinkedHashMap<>();
		bytes.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() >= 1024)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> sorted.put(entry.getKey(), entry.getValue() / 1024));
		return sorted;
	}

	private Map<Long, Long> snapshot() {
		Map<Long, Long> allocated = new HashMap<>();
		if (this.threads != null) {
			for (Thread thread : Thread.getAllStackTraces().keySet()) {
				allocated.put(thread.getId(), this.threads.getThreadAllocatedBytes(thread.getId()));
			}
		}
		return allocated;
	}

}
