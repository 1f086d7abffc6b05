package io.deepstream.storage.benchmark;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads by kind (caller, flush, listener, JIT compiler, GC, ...), read from
 * {@code /proc/self/task} on Linux, so that JIT and GC threads, which the JDK's own beans do not
 * show, are counted too. Elsewhere it reports nothing.
 */
final class ThreadCpu {

	private static final long CLOCK_TICK_MS = 10;

	private final Map<String, Long> start;

	ThreadCpu() {
		this.start = snapshot();
	}

	/**
	 * CPU milliseconds per kind of thread since construction.
	 * @return kind to milliseconds, largest first
	 */
	Map<String, Long> since() {
		Map<String, Long> now = snapshot();
		Map<String, Long> delta = new HashMap<>();
		now.forEach((kind, ticks) -> delta.put(kind, ticks - this.start.getOrDefault(kind, 0L)));
		Map<String, Long> sorted = new LinkedHashMap<>();
		delta.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() > 0)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.forEach((entry) -> sorted.put(entry.getKey(), entry.getValue() * CLOCK_TICK_MS));
		return sorted;
	}

	private static Map<String, Long> snapshot() {
		Map<String, Long> ticks = new HashMap<>();
		ProcTasks.forEach((name, stat, task) -> ticks.merge(kind(name), Long.parseLong(stat[11]) + Long.parseLong(stat[12]),
				Long::sum));
		return ticks;
	}

	/** The kind of the benchmark's own sampling threads. */
	static final String MEASUREMENT = "measurement";

	/** The kind of a thread, by its name as Linux or Java gives it. */
	static String kind(String threadName) {
		if (threadName.startsWith("C2 ") || threadName.startsWith("C1 ")) {
			return "jit";
		}
		if (threadName.startsWith("GC ") || threadName.startsWith("G1 ")) {
			// "GC Thread#0" (pauses), "G1 Conc#0" (marking), "G1 Refine#0" (remembered sets), ...
			return "gc " + threadName.substring(threadName.indexOf(' ') + 1).replaceAll("[#0-9]+$", "").trim();
		}
		// Linux keeps the first 15 characters of a thread's name, Java all of them
		if (threadName.startsWith("deepstream-flus")) {
			return "flush";
		}
		if (threadName.startsWith("deepstream-list")) {
			return "listener";
		}
		if (threadName.startsWith("deepstream-anno")) {
			return "announce";
		}
		if (threadName.startsWith("HttpClient-")) {
			// the JDK HttpClient's selector manager and its executor's threads
			return "http";
		}
		if (threadName.startsWith("benchmark-memor") || threadName.startsWith("benchmark-serve")) {
			// the benchmark's own samplers (MemoryWatch, ServerCpu): what it costs to measure, not the store
			return MEASUREMENT;
		}
		if (threadName.equals("java") || threadName.equals("main")) {
			return "main";
		}
		return "other";
	}

}
