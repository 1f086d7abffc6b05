package io.deepstream.storage.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.core.RecordName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How conditional writes share the buffer with other writes of the same record: merged where the
 * earlier write decides their condition, otherwise queued for a later batch, in order.
 */
class ConditionalWriteBufferTests {

	private final RecordName recordName = new RecordName("t", "a");

	private final WriteBuffer buffer = new WriteBuffer(new FlushSignal(), 10, 10, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);

	@Test
	void aConditionalWriteExpectingTheQueuedConditionalWritesVersionMergesWithIt() throws Exception {
		CompletableFuture<Void> first = this.buffer.add(this.recordName, PendingWrite.conditional("a", 4, 5, "5"));
		CompletableFuture<Void> second = this.buffer.add(this.recordName, PendingWrite.conditional("a", 5, 6, "6"));
		assertThat(this.buffer.uncommitted()).isEqualTo(1);
		PendingWrite merged = onlyWriteOf(this.buffer.take(true));
		assertThat(merged.isConditional()).isTrue();
		assertThat(merged.expected()).as("the first write's condition").isEqualTo(4);
		assertThat(merged.version()).isEqualTo(6);
		assertThat(merged.json()).isEqualTo("6");
		merged.complete();
		assertThat(first).isCompleted();
		assertThat(second).isCompleted();
	}

	@Test
	void aConditionalWriteAfterAnUnconditionalOneOfTheExpectedVersionBecomesAReplacement() throws Exception {
		this.buffer.add(this.recordName, PendingWrite.upsert("a", 3, "3"));
		this.buffer.add(this.recordName, PendingWrite.conditional("a", 3, 4, "4"));
		PendingWrite merged = onlyWriteOf(this.buffer.take(true));
		assertThat(merged.isConditional()).isFalse();
		assertThat(merged.guard()).isEqualTo(PendingWrite.Guard.REPLACE);
		assertThat(merged.version()).isEqualTo(4);
	}

	@Test
	void aConditionalWriteExpectingNoRecordAfterADeleteBecomesAReplacement() throws Exception {
		this.buffer.add(this.recordName, PendingWrite.delete("a"));
		this.buffer.add(this.recordName, PendingWrite.conditional("a", -1, 0, "0"));
		PendingWrite merged = onlyWriteOf(this.buffer.take(true));
		assertThat(merged.isConditional()).isFalse();
		assertThat(merged.isDelete()).isFalse();
		assertThat(merged.version()).isZero();
	}

	@Test
	void aConditionalWriteExpectingNoRecordDoesNotMergeIntoAWriteThatLeavesOneAtVersionMinusOne() throws Exception {
		// -1 means "no record"; a set given version -1 leaves a record all the same
		this.buffer.add(this.recordName, PendingWrite.upsert("a", -1, "1"));
		this.buffer.add(this.recordName, PendingWrite.conditional("a", -1, 0, "0"));
		assertThat(this.buffer.uncommitted()).as("queued behind it, for PostgreSQL to decide").isEqualTo(2);
		RecordName other = new RecordName("t", "b");
		this.buffer.add(other, PendingWrite.conditional("b", 2, -1, "1"));
		this.buffer.add(other, PendingWrite.conditional("b", -1, 0, "0"));
		assertThat(this.buffer.uncommitted()).isEqualTo(4);
	}

	@Test
	void aConditionalWriteExpectingAnotherVersionWaitsForTheNextBatch() throws Exception {
		this.buffer.add(this.recordName, PendingWrite.upsert("a", 3, "3"));
		this.buffer.add(this.recordName, PendingWrite.conditional("a", 7, 8, "8"));
		assertThat(this.buffer.uncommitted()).isEqualTo(2);
		assertThat(this.buffer.visible(this.recordName).version()).as("reads see the newest write").isEqualTo(8);
		TableBatch first = this.buffer.take(true).get(0);
		assertThat(onlyWriteOf(List.of(first)).version()).isEqualTo(3);
		assertThat(this.buffer.take(true)).as("the table's batch is in flight").isEmpty();
		this.buffer.done(first);
		PendingWrite next = onlyWriteOf(this.buffer.take(true));
		assertThat(next.isConditional()).isTrue();
		assertThat(next.expected()).isEqualTo(7);
	}

	@Test
	void underTheVersionGuardAConditionalWriteAfterAGuardedUpsertWaitsForPostgreSqlToDecide() throws Exception {
		WriteBuffer guarded = new WriteBuffer(new FlushSignal(), 10, 10, WhenBufferFull.FAIL, Duration.ofSeconds(1), true);
		guarded.add(this.recordName, PendingWrite.upsert("a", 3, "3"));
		guarded.add(this.recordName, PendingWrite.conditional("a", 3, 4, "4"));
		assertThat(guarded.uncommitted()).as("the upsert may not apply if the stored version is higher").isEqualTo(2);
	}

	@Test
	void writesAfterAConditionalOneFollowItInOrderAndMergeAmongThemselves() throws Exception {
		CompletableFuture<Void> conditional = this.buffer.add(this.recordName, PendingWrite.conditional("a", 1, 2, "2"));
		CompletableFuture<Void> plain = this.buffer.add(this.recordName, PendingWrite.upsert("a", 9, "9"));
		CompletableFuture<Void> plainer = this.buffer.add(this.recordName, PendingWrite.upsert("a", 10, "10"));
		assertThat(this.buffer.uncommitted()).isEqualTo(2);
		TableBatch first = this.buffer.take(true).get(0);
		assertThat(onlyWriteOf(List.of(first)).expected()).isEqualTo(1);
		first.writes().get(0).fail(new RecordWriteException("conflict", new IllegalStateException()));
		this.buffer.done(first);
		assertThat(conditional).isCompletedExceptionally();
		assertThat(plain).as("the later writes do not share the conditional one's fate").isNotDone();
		PendingWrite next = onlyWriteOf(this.buffer.take(true));
		assertThat(next.version()).isEqualTo(10);
		next.complete();
		assertThat(plain).isCompleted();
		assertThat(plainer).isCompleted();
	}

	@Test
	void abandoningAtCloseIncludesWritesWaitingForALaterBatch() throws Exception {
		this.buffer.add(this.recordName, PendingWrite.conditional("a", 1, 2, "2"));
		this.buffer.add(this.recordName, PendingWrite.delete("a"));
		assertThat(this.buffer.abandonQueued()).hasSize(2);
		assertThat(this.buffer.isEmpty()).isTrue();
		assertThat(this.buffer.visible(this.recordName)).isNull();
	}

	private static PendingWrite onlyWriteOf(List<TableBatch> batches) {
		assertThat(batches).hasSize(1);
		assertThat(batches.get(0).writes()).hasSize(1);
		return batches.get(0).writes().get(0);
	}

}
