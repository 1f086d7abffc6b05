package io.deepstream.storage.benchmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the benchmark and prints one JSON line on standard output; anything else goes to standard
 * error. See {@code benchmarks/README.md} for the command, the workload and the measured figures.
 * <pre>
 * java -jar benchmarks/target/deepstream-storage-benchmarks.jar --records 100000 --tables 10
 * java -jar benchmarks/target/deepstream-storage-benchmarks.jar --ceiling --records 100000
 * </pre>
 */
public final class StoreBenchmark {

	/**
	 * The one mapper of this JVM, shared by the warm-up and every round, as an application has one
	 * (Spring Boot's {@code JsonMapper} bean) for as long as it runs. A new mapper per round started
	 * with empty serializer caches and buffer pools, and its first writes sent the compiled {@code set}
	 * path back to the interpreter (uncommon traps in Jackson's {@code SerializerCache} and
	 * {@code BufferRecycler}, seen with {@code -XX:+LogCompilation}) at the start of every round.
	 */
	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private StoreBenchmark() {
	}

	/**
	 * Runs one measurement.
	 * @param args the command line, see {@code --help}
	 * @throws Exception if the run fails
	 */
	public static void main(String[] args) throws Exception {
		if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
			System.out.print(BenchmarkOptions.USAGE);
			return;
		}
		BenchmarkOptions options;
		try {
			options = BenchmarkOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.print(BenchmarkOptions.USAGE);
			System.exit(2);
			return;
		}
		Map<String, Object> result;
		if (options.ceiling()) {
			result = new CeilingRun(options).run();
		}
		else {
			if (options.warmup() > 0) {
				// the same run, smaller, discarded: the measured run then executes compiled code
				new StoreRun(options.withRecords(options.warmup())).run();
				StoreRun.awaitCompilerQuiet();
			}
			result = (options.rate() > 0) ? measureSteadyLoad(options) : measure(options);
		}
		System.out.println(MAPPER.writeValueAsString(result));
		// the store's pool and the JDK's management threads must not keep the JVM alive
		System.exit(0);
	}

	/**
	 * Runs the measured rounds, each in a fresh schema, and reports the median one (by set
	 * throughput), with the throughput and latency of every round.
	 */
	private static Map<String, Object> measure(BenchmarkOptions options) throws Exception {
		List<Map<String, Object>> rounds = new ArrayList<>();
		for (int round = 0; round < options.rounds(); round++) {
			rounds.add(new StoreRun(options).run());
		}
		List<Map<String, Object>> sorted = new ArrayList<>(rounds);
		sorted.sort(Comparator.comparingLong((round) -> (Long) round.get("setPerSec")));
		Map<String, Object> median = new LinkedHashMap<>(sorted.get((sorted.size() - 1) / 2));
		median.put("rounds", rounds.stream().map(StoreBenchmark::roundSummary).toList());
		return median;
	}

	/**
	 * Runs the steady-load rounds of {@code --rate}, and reports the median one by its p99 from
	 * commit to event, with every round's latencies.
	 */
	private static Map<String, Object> measureSteadyLoad(BenchmarkOptions options) throws Exception {
		List<Map<String, Object>> rounds = new ArrayList<>();
		for (int round = 0; round < options.rounds(); round++) {
			rounds.add(new SteadyLoadRun(options).run());
		}
		List<Map<String, Object>> sorted = new ArrayList<>(rounds);
		sorted.sort(Comparator.comparingDouble((round) -> p99(round, "commitToEventMs")));
		Map<String, Object> median = new LinkedHashMap<>(sorted.get((sorted.size() - 1) / 2));
		median.put("rounds", rounds.stream().map((round) -> {
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("commitToEventMs", round.get("commitToEventMs"));
			summary.put("setToEventMs", round.get("setToEventMs"));
			summary.put("cpuUsPerSet", round.get("cpuUsPerSet"));
			summary.put("loadAverage", round.get("loadAverage"));
			return summary;
		}).toList());
		return median;
	}

	private static double p99(Map<String, Object> round, String field) {
		Object p99 = statistics(round, field).get("p99");
		return (p99 instanceof Number number) ? number.doubleValue() : Double.MAX_VALUE;
	}

	/** The percentiles of a latency that every round measures. */
	private static Map<?, ?> statistics(Map<String, Object> round, String field) {
		return (Map<?, ?>) Objects.requireNonNull(round.get(field), () -> field + " was not measured");
	}

	private static Map<String, Object> roundSummary(Map<String, Object> round) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("setPerSec", round.get("setPerSec"));
		summary.put("getPerSec", round.get("getPerSec"));
		summary.put("notifyP50", statistics(round, "notifyLatencyMs").get("p50"));
		summary.put("cpuUsPerSet", round.get("cpuUsPerSet"));
		summary.put("clientCpuMs", round.get("setClientCpuMsByThread"));
		summary.put("schedule", round.get("setSchedule"));
		summary.put("allocatedBytesPerSet", round.get("allocatedBytesPerSet"));
		if (round.containsKey("announceClientCpuMs")) {
			summary.put("announceClientCpuMs", round.get("announceClientCpuMs"));
			summary.put("announceClientCpuUsPerName", round.get("announceClientCpuUsPerName"));
			summary.put("notifyRequests", round.get("notifyRequests"));
		}
		summary.put("loadAverage", round.get("loadAverage"));
		return summary;
	}

}
