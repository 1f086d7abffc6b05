package io.deepstream.storage.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How this JVM's threads were scheduled, by the kinds of {@link ThreadCpu}: context switches they
 * asked for (waiting: a lock, a queue, I/O) and those forced on them (preempted), and the minor page
 * faults they took; with the machine's steal time (CPU a hypervisor gave to others while a virtual
 * CPU wanted to run). To tell apart why a round took more CPU per set than another. Read from
 * {@code /proc} on Linux; elsewhere it reports nothing.
 */
final class ThreadSchedule {

	private static final long CLOCK_TICK_MS = 10;

	private static final List<String> KINDS = List.of("main", "flush", "listener");

	private final Map<String, long[]> start;

	private final long stealStart;

	ThreadSchedule() {
		this.start = snapshot();
		this.stealStart = stealTicks();
	}

	/**
	 * What happened since construction.
	 * @return per kind of thread (caller, flusher, listener): voluntary and involuntary context
	 * switches and minor faults; and the machine's steal time in milliseconds
	 */
	Map<String, Object> since() {
		Map<String, long[]> now = snapshot();
		Map<String, Object> result = new LinkedHashMap<>();
		for (String kind : KINDS) {
			long[] before = this.start.getOrDefault(kind, new long[3]);
			long[] after = now.getOrDefault(kind, new long[3]);
			result.put(kind, List.of(after[0] - before[0], after[1] - before[1], after[2] - before[2]));
		}
		long steal = stealTicks();
		result.put("stealMs", (steal >= 0 && this.stealStart >= 0) ? (steal - this.stealStart) * CLOCK_TICK_MS : null);
		return result;
	}

	private static Map<String, long[]> snapshot() {
		Map<String, long[]> counts = new HashMap<>();
		ProcTasks.forEach((name, stat, task) -> {
			long voluntary = 0;
			long involuntary = 0;
			for (String line : Files.readAllLines(task.resolve("status"))) {
				if (line.startsWith("voluntary_ctxt_switches:")) {
					voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
				else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
					involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
				}
			}
			long[] sum = counts.computeIfAbsent(ThreadCpu.kind(name), (kind) -> new long[3]);
			sum[0] += voluntary;
			sum[1] += involuntary;
			sum[2] += Long.parseLong(stat[7]);
		});
		return counts;
	}

	/** The machine's steal time so far, in clock ticks, or -1 where {@code /proc/stat} has none. */
	private static long stealTicks() {
		try {
			String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
			String[] fields = cpu.trim().split("\\s+");
			return (fields.length > 8) ? Long.parseLong(fields[8]) : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
