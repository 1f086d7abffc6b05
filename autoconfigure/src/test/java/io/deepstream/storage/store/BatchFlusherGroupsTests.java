package io.deepstream.storage.store;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link BatchFlusher#groups} puts several tables' batches in one transaction.
 */
class BatchFlusherGroupsTests {

	@Test
	void putsSmallBatchesTogetherInTableOrderUpToTheBatchSize() {
		List<TableBatch> batches = List.of(batch("c", 3), batch("a", 4), batch("d", 5), batch("b", 2));
		assertThat(BatchFlusher.groups(batches, 10)).extracting((group) -> group.stream().map(TableBatch::table).toList())
			.containsExactly(List.of("a", "b", "c"), List.of("d"));
	}

	@Test
	void keepsAFullBatchInAGroupOfItsOwn() {
		List<TableBatch> batches = List.of(batch("a", 10), batch("b", 1), batch("c", 10));
		assertThat(BatchFlusher.groups(batches, 10)).extracting((group) -> group.stream().map(TableBatch::table).toList())
			.containsExactly(List.of("a"), List.of("b"), List.of("c"));
	}

	@Test
	void leavesNoBatchOutAndNoGroupEmpty() {
		assertThat(BatchFlusher.groups(List.of(), 10)).isEmpty();
		assertThat(BatchFlusher.groups(List.of(batch("a", 1)), 10)).hasSize(1);
	}

	private static TableBatch batch(String table, int writes) {
		return new TableBatch(table, IntStream.range(0, writes).mapToObj((i) -> PendingWrite.upsert("r" + i, 1, "{}")).toList());
	}

}
