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
		assertThat(BatchFlusher.groups(batches, 10, 4, (table) -> false)).extracting((group) -> group.stream().map(TableBatch::table).toList())
			.containsExactly(List.of("a", "b", "c"), List.of("d"));
	}

	@Test
	void keepsAFullBatchInAGroupOfItsOwn() {
		List<TableBatch> batches = List.of(batch("a", 10), batch("b", 1), batch("c", 10));
		assertThat(BatchFlusher.groups(batches, 10, 4, (table) -> false)).extracting((group) -> group.stream().map(TableBatch::table).toList())
			.containsExactly(List.of("a"), List.of("b"), List.of("c"));
	}

	@Test
	void leavesNoBatchOutAndNoGroupEmpty() {
		assertThat(BatchFlusher.groups(List.of(), 10, 4, (table) -> true)).isEmpty();
		assertThat(BatchFlusher.groups(List.of(batch("a", 1)), 10, 4, (table) -> true)).hasSize(1);
	}

	@Test
	void putsFewTablesThatMayHaveToBeCreatedInAGroup() {
		int tables = 3 * BatchFlusher.MAX_NEW_TABLES_PER_GROUP;
		List<TableBatch> batches = IntStream.range(0, tables).mapToObj((i) -> batch("t" + (char) ('a' + i), 1)).toList();
		// every other table exists: a group holds up to the limit of new ones, and the others between them
		List<List<TableBatch>> groups = BatchFlusher.groups(batches, 1000, 4,
				(table) -> (table.charAt(1) - 'a') % 2 == 0);
		assertThat(groups).extracting(List::size)
			.containsExactly(2 * BatchFlusher.MAX_NEW_TABLES_PER_GROUP, BatchFlusher.MAX_NEW_TABLES_PER_GROUP);
		assertThat(groups.stream().flatMap(List::stream)).containsExactlyElementsOf(batches);
	}

	@Test
	void spreadsATakeOfManyWritesOverTheFlushThreads() {
		// a steady load over 10 tables: 2,000 writes a take, which one transaction would write alone
		List<TableBatch> batches = IntStream.range(0, 10).mapToObj((i) -> batch("t" + i, 200)).toList();
		List<List<TableBatch>> groups = BatchFlusher.groups(batches, 5000, 4, (table) -> false);
		assertThat(groups).extracting((group) -> group.stream().mapToInt(TableBatch::size).sum())
			.containsExactly(600, 600, 600, 200);
		assertThat(groups.stream().flatMap(List::stream)).containsExactlyElementsOf(batches);
	}

	@Test
	void keepsATakeOfFewWritesInOneTransaction() {
		List<TableBatch> batches = IntStream.range(0, 10)
			.mapToObj((i) -> batch("t" + i, (BatchFlusher.MIN_WRITES_TO_SPREAD - 1) / 10))
			.toList();
		assertThat(BatchFlusher.groups(batches, 5000, 4, (table) -> false)).hasSize(1);
	}

	@Test
	void givesEachGroupOfASpreadTakeAtLeastTheFewestWritesWorthSpreading() {
		// 1,000 writes over 20 tables and 4 threads: two groups of 500, not four of 250
		List<TableBatch> batches = IntStream.range(0, 20).mapToObj((i) -> batch("t" + (char) ('a' + i), 50)).toList();
		assertThat(BatchFlusher.groups(batches, 5000, 4, (table) -> false))
			.extracting((group) -> group.stream().mapToInt(TableBatch::size).sum())
			.containsExactly(BatchFlusher.MIN_WRITES_TO_SPREAD, BatchFlusher.MIN_WRITES_TO_SPREAD);
	}

	private static TableBatch batch(String table, int writes) {
		return new TableBatch(table, IntStream.range(0, writes).mapToObj((i) -> PendingWrite.upsert("r" + i, 1, "{}")).toList());
	}

}
