package io.deepstream.storage.benchmark;

import java.util.Map;

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
		Map<String, Object> result = options.ceiling() ? new CeilingRun(options).run() : new StoreRun(options).run();
		System.out.println(JsonMapper.builder().build().writeValueAsString(result));
		// the store's pool and the JDK's management threads must not keep the JVM alive
		System.exit(0);
	}

}
