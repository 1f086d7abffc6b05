package io.deepstream.storage.benchmark;

/**
 * The records of a run: record {@code i} is {@code t<i % tables>/r<i>} with the value
 * {@code {"n":i,"data":"xx..."}}, padded so that its JSON text is {@code valueBytes} long (for a
 * five-digit {@code i}). The reference benchmark ({@code reference/bench.js}) writes the very same
 * records.
 */
final class Workload {

	private static final int JSON_OVERHEAD = "{\"n\":12345,\"data\":\"\"}".length();

	private final int tables;

	private final String padding;

	Workload(int tables, int valueBytes) {
		this.tables = tables;
		this.padding = "x".repeat(Math.max(0, valueBytes - JSON_OVERHEAD));
	}

	String name(int i) {
		return "t" + (i % this.tables) + "/r" + i;
	}

	Value value(int i) {
		return new Value(i, this.padding);
	}

	/**
	 * The record index of an id written by {@link #name}.
	 * @param id {@code r<i>}
	 * @return {@code i}
	 */
	static int index(String id) {
		return Integer.parseInt(id, 1, id.length(), 10);
	}

	/**
	 * A record's value, as an application would hand it to the store.
	 *
	 * @param n the record's index
	 * @param data padding
	 */
	record Value(int n, String data) {

	}

}
