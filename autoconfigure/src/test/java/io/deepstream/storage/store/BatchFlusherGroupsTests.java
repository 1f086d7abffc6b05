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
		assertThat(BatchFlusher.groups(batches, 10, (table) -> false)).extracting((group) -> group.stream().map(TableBatch::table).toList())
			.containsExactly(List.of("a", "b", "c"), List.of("d"));
	}

	@Test
	void keepsAFullBatchInAGroupOfItsOwn() {
		List<TableBatch> batches = List.of(batch("a", 10), batch("b", 1), batch("c", 10));
		assertThat(BatchFlusher.groups(batches, 10, (table) -> false)).extracting((group) -> group.stream().map(TableBatch::table).toList())
			.containsExactly(List.of("a"), List.of("b"), List.of("c"));
	}

	@Test
	void leavesNoBatchOutAndNoGroupEmpty() {
		assertThat(BatchFlusher.groups(List.of(), 10, (table) -> true)).isEmpty();
		assertThat(BatchFlusher.groups(List.of(batch("a", 1)), 10, (table) -> true)).hasSize(1);
	}

	@Test
	void putsFewTablesThatMayHaveToBeCreatedInAGroup() {
		int tables = 3 * BatchFlusher.MAX_NEW_TABLES_PER_GROUP;
		List<TableBatch> batches = IntStream.range(0, tables).mapToObj((i) -> batch("t" + (char) ('a' + i), 1)).toList();
		// every other table exists: a group holds up to the limit of new ones, and the others between them
		List<List<TableBatch>> groups = BatchFlusher.groups(batches, 1000,
				(table) -> (table.charAt(1) - 'a') % 2 == 0);
		assertThat(groups).extracting(List::size)
			.containsExactly(2 * BatchFlusher.MAX_NEW_TABLES_PER_GROUP, BatchFlusher.MAX_NEW_TABLES_PER_GROUP);
		assertThat(groups.stream().flatMap(List::stream)).containsExactlyElementsOf(batches);
	}

	private static TableBatch batch(String table, int writes) {
		return new TableBatch(table, IntStream.range(0, writes).mapToObj((i) -> PendingWrite.upsert("r" + i, 1, "{}")).toList());
	}

}
