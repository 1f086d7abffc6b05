package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.RecordName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class WriteBufferTests {

	private final WriteBuffer buffer = new WriteBuffer(new FlushSignal(), 3, 4, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);

	@Test
	void theLatestWriteToARecordWinsAndTakesOverEarlierCallers() throws Exception {
		RecordName recordName = new RecordName("t", "a");
		CompletableFuture<Void> first = this.buffer.add(recordName, PendingWrite.upsert("a", 1, "1"));
		CompletableFuture<Void> second = this.buffer.add(recordName, PendingWrite.upsert("a", 2, "2"));
		assertThat(this.buffer.uncommitted()).isEqualTo(1);
		assertThat(this.buffer.visible(recordName).version()).isEqualTo(2);
		List<TableBatch> batches = this.buffer.take(true);
		assertThat(batches).hasSize(1);
		assertThat(batches.get(0).writes()).singleElement().satisfies((write) -> assertThat(write.version()).isEqualTo(2));
		batches.get(0).writes().forEach(PendingWrite::complete);
		this.buffer.done(batches.get(0));
		assertThat(first).isCompleted();
		assertThat(second).isCompleted();
		assertThat(this.buffer.visible(recordName)).isNull();
		assertThat(this.buffer.isEmpty()).isTrue();
	}

	@Test
	void aWriteArrivingWhileItsRecordIsInFlightIsQueuedSeparately() throws Exception {
		RecordName recordName = new RecordName("t", "a");
		this.buffer.add(recordName, PendingWrite.upsert("a", 1, "1"));
		TableBatch inFlight = this.buffer.take(true).get(0);
		this.buffer.add(recordName, PendingWrite.upsert("a", 2, "2"));
		assertThat(this.buffer.take(true)).as("one batch per table in flight").isEmpty();
		this.buffer.done(inFlight);
		assertThat(this.buffer.visible(recordName).version()).as("the newer write stays visible").isEqualTo(2);
		assertThat(this.buffer.take(true)).singleElement().satisfies((batch) -> assertThat(batch.writes().get(0).version()).isEqualTo(2));
	}

	@Test
	void onlyFullBatchesAreTakenBetweenIntervals() throws Exception {
		// room for more than these four writes: a full buffer would be taken whole
		WriteBuffer roomy = new WriteBuffer(new FlushSignal(), 3, 10, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);
		roomy.add(new RecordName("small", "a"), PendingWrite.upsert("a", 1, "1"));
		for (String id : List.of("a", "b", "c")) {
			roomy.add(new RecordName("full", id), PendingWrite.upsert(id, 1, "1"));
		}
		assertThat(roomy.take(false)).extracting(TableBatch::table).containsExactly("full");
		assertThat(roomy.take(true)).extracting(TableBatch::table).containsExactly("small");
	}

	@Test
	void writesQueuedWhileTheirTableWasInFlightWaitForTheNextSweepLikeAnyOther() throws Exception {
		this.buffer.add(new RecordName("busy", "a"), PendingWrite.upsert("a", 1, "1"));
		TableBatch inFlight = this.buffer.take(true).get(0);
		this.buffer.add(new RecordName("busy", "b"), PendingWrite.upsert("b", 1, "1"));
		this.buffer.done(inFlight);
		assertThat(this.buffer.take(false)).as("no sweep was missed: the writes wait for the interval").isEmpty();
		assertThat(this.buffer.take(true)).singleElement()
			.satisfies((batch) -> assertThat(batch.writes()).extracting(PendingWrite::id).containsExactly("b"));
	}

	@Test
	void writesASweepFoundButCouldNotTakeGoAsSoonAsTheBatchIsDone() throws Exception {
		WriteBuffer small = new WriteBuffer(new FlushSignal(), 2, 10, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);
		for (String id : List.of("a", "b", "c")) {
			small.add(new RecordName("t", id), PendingWrite.upsert(id, 1, "1"));
		}
		TableBatch first = small.take(true).get(0);
		assertThat(first.writes()).extracting(PendingWrite::id).containsExactly("a", "b");
		small.done(first);
		assertThat(small.take(false)).as("the write beyond the batch missed the sweep").singleElement()
			.satisfies((batch) -> assertThat(batch.writes()).extracting(PendingWrite::id).containsExactly("c"));
	}

	@Test
	void writesThatMissedASweepWhileTheirTableWasInFlightAreTakenWithoutWaitingForTheNextInterval() throws Exception {
		this.buffer.add(new RecordName("busy", "a"), PendingWrite.upsert("a", 1, "1"));
		TableBatch inFlight = this.buffer.take(true).get(0);
		this.buffer.add(new RecordName("busy", "b"), PendingWrite.upsert("b", 1, "1"));
		this.buffer.add(new RecordName("idle", "c"), PendingWrite.upsert("c", 1, "1"));
		assertThat(this.buffer.take(false)).as("nothing is full, nothing waited for a batch").isEmpty();
		assertThat(this.buffer.take(true)).as("the sweep takes the idle table; the busy one is in flight")
			.extracting(TableBatch::table).containsExactly("idle");
		this.buffer.add(new RecordName("idle", "d"), PendingWrite.upsert("d", 1, "1"));
		this.buffer.done(inFlight);
		assertThat(this.buffer.take(false)).as("the backlog goes next; the idle table, in flight, waits")
			.singleElement()
			.satisfies((batch) -> {
				assertThat(batch.table()).isEqualTo("busy");
				assertThat(batch.writes()).extracting(PendingWrite::id).containsExactly("b");
			});
		assertThat(this.buffer.take(false)).isEmpty();
	}

	@Test
	void aSettledBatchLeavesTheReadIndexButANewerWriteOfTheSameRecordStays() throws Exception {
		RecordName recordName = new RecordName("t", "a");
		this.buffer.add(recordName, PendingWrite.upsert("a", 1, "1"));
		TableBatch first = this.buffer.take(true).get(0);
		// an equal record name, not the same instance, as every set call parses its own
		this.buffer.add(new RecordName("t", "a"), PendingWrite.upsert("a", 2, "2"));
		first.writes().forEach(PendingWrite::complete);
		this.buffer.done(first);
		assertThat(this.buffer.visible(recordName).version()).isEqualTo(2);
		TableBatch second = this.buffer.take(true).get(0);
		second.writes().forEach(PendingWrite::complete);
		this.buffer.done(second);
		assertThat(this.buffer.visible(recordName)).isNull();
		assertThat(this.buffer.isEmpty()).isTrue();
	}

	@Test
	void writesInFlightStayReadableUntilTheirBatchIsDone() throws Exception {
		WriteBuffer small = new WriteBuffer(new FlushSignal(), 2, 10, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);
		for (String id : List.of("a", "b", "c")) {
			small.add(new RecordName("t", id), PendingWrite.upsert(id, 1, id));
		}
		TableBatch first = small.take(true).get(0);
		assertThat(first.writes()).extracting(PendingWrite::id).containsExactly("a", "b");
		small.add(new RecordName("t", "b"), PendingWrite.upsert("b", 2, "b2"));
		assertThat(small.visible(new RecordName("t", "a")).json()).as("in flight").isEqualTo("a");
		assertThat(small.visible(new RecordName("t", "b")).json()).as("queued behind its write in flight").isEqualTo("b2");
		assertThat(small.visible(new RecordName("t", "c")).json()).as("left over from the batch").isEqualTo("c");
		first.writes().forEach(PendingWrite::complete);
		small.done(first);
		assertThat(small.visible(new RecordName("t", "a"))).isNull();
		assertThat(small.visible(new RecordName("t", "b")).json()).isEqualTo("b2");
		TableBatch second = small.take(true).get(0);
		assertThat(second.writes()).extracting(PendingWrite::json).containsExactly("c", "b2");
		assertThat(small.visible(new RecordName("t", "c")).json()).as("in flight, taken whole").isEqualTo("c");
		small.add(new RecordName("t", "d"), PendingWrite.upsert("d", 1, "d"));
		second.writes().forEach(PendingWrite::complete);
		small.done(second);
		assertThat(small.visible(new RecordName("t", "c"))).isNull();
		assertThat(small.visible(new RecordName("t", "b"))).isNull();
		// the map that held the first batch now holds the pending writes, and nothing of that batch
		assertThat(small.take(true)).singleElement()
			.satisfies((batch) -> assertThat(batch.writes()).extracting(PendingWrite::id).containsExactly("d"));
		assertThat(small.visible(new RecordName("t", "d"))).isNotNull();
	}

	@Test
	void aLongBacklogIsTakenInOrderABatchAtATimeAndStaysReadable() throws Exception {
		WriteBuffer small = new WriteBuffer(new FlushSignal(), 2, 10, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);
		List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g");
		for (String id : ids) {
			small.add(new RecordName("t", id), PendingWrite.upsert(id, 1, id));
		}
		List<String> taken = new ArrayList<>();
		for (List<TableBatch> batches = small.take(true); !batches.isEmpty(); batches = small.take(true)) {
			TableBatch batch = batches.get(0);
			assertThat(batch.size()).isLessThanOrEqualTo(2);
			for (String id : ids) {
				assertThat(small.visible(new RecordName("t", id)) != null).as("%s readable until its batch is done", id)
					.isEqualTo(!taken.contains(id));
			}
			batch.writes().forEach((write) -> taken.add(write.id()));
			batch.writes().forEach(PendingWrite::complete);
			small.done(batch);
		}
		assertThat(taken).containsExactlyElementsOf(ids);
		assertThat(small.isEmpty()).isTrue();
	}

	@Test
	void flushWaitsForTheNewestWriteOfEachRecordWhetherQueuedOrInFlight() throws Exception {
		this.buffer.add(new RecordName("t", "a"), PendingWrite.upsert("a", 1, "1"));
		this.buffer.add(new RecordName("t", "b"), PendingWrite.upsert("b", 1, "1"));
		TableBatch first = this.buffer.take(true).get(0);
		this.buffer.add(new RecordName("t", "a"), PendingWrite.upsert("a", 2, "2"));
		List<CompletableFuture<Void>> flushed = this.buffer.waitForAccepted();
		assertThat(flushed).as("b in flight, and a's newer write only").hasSize(2);
		first.writes().forEach(PendingWrite::complete);
		this.buffer.done(first);
		assertThat(flushed).as("a's newer write is still queued").anySatisfy((future) -> assertThat(future).isNotDone());
		TableBatch second = this.buffer.take(true).get(0);
		second.writes().forEach(PendingWrite::complete);
		this.buffer.done(second);
		assertThat(flushed).allSatisfy((future) -> assertThat(future).isCompleted());
	}

	@Test
	void aWaiterAddedAfterSettlingIsSettledAtOnce() throws Exception {
		PendingWrite write = PendingWrite.upsert("a", 1, "1");
		CompletableFuture<Void> before = write.addWaiter();
		write.complete();
		assertThat(before).isCompleted();
		assertThat(write.whenSettled()).as("as flush() adds it").isCompleted();
		assertThat(write.waiterCount()).as("callers").isOne();
	}

	@Test
	void flushWaitsForWritesWithoutCountingAsAWriteOfItsOwn() throws Exception {
		RecordName recordName = new RecordName("t", "a");
		this.buffer.add(recordName, PendingWrite.upsert("a", 1, "1"));
		this.buffer.add(recordName, PendingWrite.upsert("a", 2, "2"));
		List<CompletableFuture<Void>> flushed = this.buffer.waitForAccepted();
		TableBatch batch = this.buffer.take(true).get(0);
		assertThat(batch.writes()).singleElement()
			.satisfies((write) -> assertThat(write.waiterCount()).as("the two callers, not flush()").isEqualTo(2));
		batch.writes().forEach(PendingWrite::complete);
		this.buffer.done(batch);
		assertThat(flushed).singleElement().satisfies((future) -> assertThat(future).isCompleted());
	}

	@Test
	void aFullBufferIsTakenWholeWithoutWaitingForTheInterval() throws Exception {
		for (String id : List.of("a", "b", "c", "d")) {
			this.buffer.add(new RecordName("t" + id, id), PendingWrite.upsert(id, 1, "1"));
		}
		assertThat(this.buffer.take(false)).as("writers would block: everything goes now").hasSize(4);
	}

	@Test
	void isBoundedAndFailsFastWhenFull() throws Exception {
		for (String id : List.of("a", "b", "c", "d")) {
			this.buffer.add(new RecordName("t" + id, id), PendingWrite.upsert(id, 1, "1"));
		}
		assertThatThrownBy(() -> this.buffer.add(new RecordName("t", "e"), PendingWrite.upsert("e", 1, "1")))
			.isInstanceOf(BufferFullException.class);
		// replacing a queued write needs no room
		this.buffer.add(new RecordName("ta", "a"), PendingWrite.upsert("a", 2, "2"));
		assertThat(this.buffer.uncommitted()).isEqualTo(4);
		// nothing of the refused write is left to take, and its record is not readable
		assertThat(this.buffer.visible(new RecordName("t", "e"))).isNull();
		assertThat(this.buffer.take(true)).extracting(TableBatch::table).containsExactlyInAnyOrder("ta", "tb", "tc", "td");
	}

	@Test
	void aBatchHoldsAtMostMaxBatchCharsOfJsonTextButAlwaysItsFirstWrite() throws Exception {
		// batches of up to 10 writes and 10 characters of JSON text
		WriteBuffer capped = new WriteBuffer(new FlushSignal(), 10, 10, 100, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);
		capped.add(new RecordName("t", "big"), PendingWrite.upsert("big", 1, "\"" + "x".repeat(20) + "\""));
		for (String id : List.of("a", "b", "c", "d")) {
			capped.add(new RecordName("t", id), PendingWrite.upsert(id, 1, "\"" + id + id + "\"")); // 4 characters
		}
		capped.add(new RecordName("t", "gone"), PendingWrite.delete("gone"));
		assertThat(takeAndLand(capped)).as("a write larger than the cap goes alone").containsExactly("big");
		assertThat(takeAndLand(capped)).as("4 + 4 characters; a third would make 12").containsExactly("a", "b");
		// replacing a pending write by a shorter one makes room in the batch
		capped.add(new RecordName("t", "c"), PendingWrite.upsert("c", 2, "1"));
		assertThat(takeAndLand(capped)).as("1 + 4 characters, and a delete has none").containsExactly("c", "d", "gone");
		assertThat(capped.isEmpty()).isTrue();
	}

	/** Takes every table's batch, marks them done, and returns their writes' ids in order. */
	private static List<String> takeAndLand(WriteBuffer buffer) {
		List<String> ids = new ArrayList<>();
		for (TableBatch batch : buffer.take(true)) {
			batch.writes().forEach((write) -> ids.add(write.id()));
			buffer.done(batch);
		}
		return ids;
	}

	@Test
	void severalDeletesAreBufferedAllOrNone() throws Exception {
		// room for 4: a and b queued, so 2 left
		this.buffer.add(new RecordName("t", "a"), PendingWrite.upsert("a", 1, "1"));
		this.buffer.add(new RecordName("t", "b"), PendingWrite.upsert("b", 1, "1"));
		List<RecordName> three = List.of(new RecordName("t", "c"), new RecordName("t", "d"), new RecordName("t", "e"));
		assertThatThrownBy(() -> this.buffer.addAll(three, deletes(three))).isInstanceOf(BufferFullException.class);
		assertThat(this.buffer.uncommitted()).as("none of the three was buffered").isEqualTo(2);
		assertThat(three).allSatisfy((name) -> assertThat(this.buffer.visible(name)).isNull());
		// deletes of queued records merge into them, and a record named twice counts once: room for all
		List<RecordName> merging = List.of(new RecordName("t", "a"), new RecordName("t", "b"), new RecordName("t", "c"),
				new RecordName("t", "c"), new RecordName("u", "d"));
		List<CompletableFuture<Void>> futures = this.buffer.addAll(merging, deletes(merging));
		assertThat(futures).hasSize(5);
		assertThat(this.buffer.uncommitted()).isEqualTo(4);
		assertThat(merging).allSatisfy((name) -> assertThat(this.buffer.visible(name).isDelete()).isTrue());
		List<TableBatch> batches = this.buffer.take(true);
		batches.forEach((batch) -> {
			batch.writes().forEach(PendingWrite::complete);
			this.buffer.done(batch);
		});
		assertThat(futures).allSatisfy((future) -> assertThat(future).isCompleted());
	}

	@Test
	void moreDeletesAtOnceThanTheBufferHoldsAreRefusedWithoutWaiting() {
		WriteBuffer blocking = new WriteBuffer(new FlushSignal(), 3, 4, WhenBufferFull.BLOCK, Duration.ofSeconds(30), false);
		List<RecordName> five = List.of("a", "b", "c", "d", "e").stream().map((id) -> new RecordName("t", id)).toList();
		assertThatThrownBy(() -> blocking.addAll(five, deletes(five))).isInstanceOf(BufferFullException.class)
			.hasMessageContaining("smaller groups");
		assertThat(blocking.isEmpty()).isTrue();
	}

	@Test
	void severalDeletesWaitForRoomForAllOfThem() throws Exception {
		WriteBuffer blocking = new WriteBuffer(new FlushSignal(), 3, 3, WhenBufferFull.BLOCK, Duration.ofSeconds(30), false);
		blocking.add(new RecordName("t", "a"), PendingWrite.upsert("a", 1, "1"));
		blocking.add(new RecordName("u", "b"), PendingWrite.upsert("b", 1, "1"));
		blocking.add(new RecordName("w", "x"), PendingWrite.upsert("x", 1, "1"));
		List<TableBatch> inFlight = blocking.take(true);
		assertThat(inFlight).hasSize(3);
		List<RecordName> two = List.of(new RecordName("v", "c"), new RecordName("v", "d"));
		CompletableFuture<List<CompletableFuture<Void>>> waiting = new CompletableFuture<>();
		Thread writer = new Thread(() -> {
			try {
				waiting.complete(blocking.addAll(two, deletes(two)));
			}
			catch (Throwable ex) {
				waiting.completeExceptionally(ex);
			}
		});
		writer.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
		// room for one is not room for both: the writer, woken, waits on, and nothing is buffered yet
		blocking.done(inFlight.get(0));
		await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
		assertThat(waiting).isNotDone();
		assertThat(blocking.uncommitted()).isEqualTo(2);
		assertThat(blocking.visible(two.get(0))).isNull();
		blocking.done(inFlight.get(1));
		assertThat(waiting.get(10, TimeUnit.SECONDS)).hasSize(2);
		assertThat(blocking.uncommitted()).isEqualTo(3);
	}

	private static List<PendingWrite> deletes(List<RecordName> recordNames) {
		return recordNames.stream().map((name) -> PendingWrite.delete(name.id())).toList();
	}

	@Test
	void aWriterThatWaitedForRoomQueuesItsWriteWhereTheNextTakeFindsIt() throws Exception {
		WriteBuffer blocking = new WriteBuffer(new FlushSignal(), 3, 1, WhenBufferFull.BLOCK, Duration.ofSeconds(30), false);
		blocking.add(new RecordName("t", "a"), PendingWrite.upsert("a", 1, "1"));
		TableBatch inFlight = blocking.take(true).get(0);
		CompletableFuture<CompletableFuture<Void>> waiting = new CompletableFuture<>();
		Thread writer = new Thread(() -> {
			try {
				waiting.complete(blocking.add(new RecordName("t", "b"), PendingWrite.upsert("b", 1, "1")));
			}
			catch (Throwable ex) {
				waiting.completeExceptionally(ex);
			}
		});
		writer.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
		assertThat(waiting).isNotDone();
		// the batch in flight was the table's only write: done() drops the table's queue while b waits
		blocking.done(inFlight);
		assertThat(waiting.get(10, TimeUnit.SECONDS)).isNotDone();
		assertThat(blocking.take(true)).singleElement()
			.satisfies((batch) -> assertThat(batch.writes()).extracting(PendingWrite::id).containsExactly("b"));
		assertThat(blocking.visible(new RecordName("t", "b"))).isNotNull();
	}

	@Test
	void refusesWritesOnceClosedAndCanAbandonWhatIsQueued() throws Exception {
		CompletableFuture<Void> queued = this.buffer.add(new RecordName("t", "a"), PendingWrite.upsert("a", 1, "1"));
		this.buffer.close();
		assertThatIllegalStateException().isThrownBy(() -> this.buffer.add(new RecordName("t", "b"), PendingWrite.upsert("b", 1, "1")));
		List<PendingWrite> abandoned = this.buffer.abandonQueued();
		assertThat(abandoned).hasSize(1);
		assertThat(queued).isNotDone();
		assertThat(this.buffer.isEmpty()).isTrue();
	}

	@Test
	void withoutTheVersionGuardTheLatestWriteWinsEvenWithALowerVersion() throws Exception {
		RecordName recordName = new RecordName("t", "a");
		this.buffer.add(recordName, PendingWrite.upsert("a", 5, "\"five\""));
		this.buffer.add(recordName, PendingWrite.upsert("a", 3, "\"three\""));
		assertThat(this.buffer.visible(recordName).version()).isEqualTo(3);
		assertThat(this.buffer.take(true).get(0).writes()).singleElement()
			.satisfies((write) -> assertThat(write.json()).isEqualTo("\"three\""));
	}

	@Test
	void withTheVersionGuardAStaleWriteDoesNotReplaceANewerOne() throws Exception {
		WriteBuffer guarded = guardedBuffer();
		RecordName recordName = new RecordName("t", "a");
		CompletableFuture<Void> newer = guarded.add(recordName, PendingWrite.upsert("a", 5, "\"five\""));
		CompletableFuture<Void> stale = guarded.add(recordName, PendingWrite.upsert("a", 3, "\"three\""));
		assertThat(guarded.uncommitted()).isEqualTo(1);
		assertThat(guarded.visible(recordName).json()).isEqualTo("\"five\"");
		TableBatch batch = guarded.take(true).get(0);
		assertThat(batch.writes()).singleElement().satisfies((write) -> {
			assertThat(write.version()).isEqualTo(5);
			assertThat(write.json()).isEqualTo("\"five\"");
			assertThat(write.guard()).isEqualTo(PendingWrite.Guard.VERSIONED);
		});
		batch.writes().forEach(PendingWrite::complete);
		guarded.done(batch);
		assertThat(newer).isCompleted();
		assertThat(stale).as("the stale caller is answered when the write that superseded it commits").isCompleted();
	}

	@Test
	void withTheVersionGuardEqualOrHigherVersionsReplaceTheQueuedWrite() throws Exception {
		WriteBuffer guarded = guardedBuffer();
		RecordName recordName = new RecordName("t", "a");
		guarded.add(recordName, PendingWrite.upsert("a", 5, "\"first\""));
		guarded.add(recordName, PendingWrite.upsert("a", 5, "\"second\""));
		assertThat(guarded.visible(recordName).json()).isEqualTo("\"second\"");
		guarded.add(recordName, PendingWrite.upsert("a", 9, "\"third\""));
		assertThat(guarded.visible(recordName).version()).isEqualTo(9);
		assertThat(guarded.visible(recordName).guard()).isEqualTo(PendingWrite.Guard.VERSIONED);
	}

	@Test
	void withTheVersionGuardAVersionZeroWriteAppliesItsValueAndKeepsTheHigherVersion() throws Exception {
		WriteBuffer guarded = guardedBuffer();
		RecordName recordName = new RecordName("t", "a");
		guarded.add(recordName, PendingWrite.upsert("a", 7, "\"versioned\""));
		guarded.add(recordName, PendingWrite.upsert("a", 0, "\"unversioned\""));
		PendingWrite combined = guarded.visible(recordName);
		assertThat(combined.json()).isEqualTo("\"unversioned\"");
		assertThat(combined.version()).isEqualTo(7);
		assertThat(combined.guard()).as("applies whatever is stored, never lowering the version")
			.isEqualTo(PendingWrite.Guard.AT_LEAST);
		guarded.add(recordName, PendingWrite.upsert("a", 6, "\"stale\""));
		assertThat(guarded.visible(recordName)).isSameAs(combined);
		guarded.add(recordName, PendingWrite.upsert("a", 8, "\"newer\""));
		assertThat(guarded.visible(recordName).guard()).isEqualTo(PendingWrite.Guard.VERSIONED);
		assertThat(guarded.visible(recordName).version()).isEqualTo(8);
		assertThat(guarded.uncommitted()).isEqualTo(1);
	}

	@Test
	void withTheVersionGuardAWriteAfterADeleteReplacesTheRowWhateverItsVersion() throws Exception {
		WriteBuffer guarded = guardedBuffer();
		RecordName recordName = new RecordName("t", "a");
		guarded.add(recordName, PendingWrite.upsert("a", 9, "\"old\""));
		guarded.add(recordName, PendingWrite.delete("a"));
		assertThat(guarded.visible(recordName).isDelete()).isTrue();
		guarded.add(recordName, PendingWrite.upsert("a", 1, "\"recreated\""));
		assertThat(guarded.visible(recordName).guard()).isEqualTo(PendingWrite.Guard.REPLACE);
		assertThat(guarded.visible(recordName).version()).isEqualTo(1);
		guarded.add(recordName, PendingWrite.upsert("a", 0, "\"unversioned\""));
		assertThat(guarded.visible(recordName).guard()).isEqualTo(PendingWrite.Guard.REPLACE);
		assertThat(guarded.visible(recordName).version()).isEqualTo(1);
		assertThat(guarded.visible(recordName).json()).isEqualTo("\"unversioned\"");
		guarded.add(recordName, PendingWrite.upsert("a", 2, "\"two\""));
		assertThat(guarded.visible(recordName).guard()).isEqualTo(PendingWrite.Guard.REPLACE);
		assertThat(guarded.visible(recordName).version()).isEqualTo(2);
	}

	private static WriteBuffer guardedBuffer() {
		return new WriteBuffer(new FlushSignal(), 3, 4, WhenBufferFull.FAIL, Duration.ofSeconds(1), true);
	}

}
