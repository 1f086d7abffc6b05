package io.deepstream.storage.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

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
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			tasks.forEach((task) -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					int open = stat.indexOf('(');
					int close = stat.lastIndexOf(')');
					String name = stat.substring(open + 1, close);
					String[] fields = stat.substring(close + 2).split(" ");
					long cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					ticks.merge(kind(name), cpu, Long::sum);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return ticks;
	}

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
		if (threadName.equals("java") || threadName.equals("main")) {
			return "main";
		}
		return "other";
	}

}
