package io.deepstream.storage.announce;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The names waiting for one server: each once, oldest first, bounded, and the callers waiting for them.
 */
class PendingNamesTests {

	private final PendingNames names = new PendingNames(4);

	@Test
	void aNameCommittedAgainWhileItWaitsIsSentOnce() throws Exception {
		this.names.add(List.of("a/1", "a/2"));
		this.names.add(List.of("a/1", "a/3"));
		assertThat(names(this.names.take(10, 0))).containsExactly("a/1", "a/2", "a/3");
	}

	@Test
	void aNameCommittedAgainWhileInFlightWaitsAgain() throws Exception {
		this.names.add(List.of("a/1"));
		List<PendingNames.Entry> inFlight = this.names.take(10, 0);
		this.names.add(List.of("a/1"));
		CompletableFuture<Void> announced = this.names.announced(List.of("a/1"));
		this.names.settle(inFlight, null);
		assertThat(announced).as("the later commit is not announced yet").isNotDone();
		this.names.settle(this.names.take(10, 0), null);
		assertThat(announced).isCompleted();
	}

	@Test
	void requestsTakeAtMostTheirShare() throws Exception {
		this.names.add(List.of("a/1", "a/2", "a/3"));
		assertThat(names(this.names.take(2, 0))).containsExactly("a/1", "a/2");
		assertThat(names(this.names.take(2, 0))).containsExactly("a/3");
	}

	@Test
	void namesBeyondTheBoundAreGivenUpAndReported() {
		assertThat(this.names.add(List.of("a/1", "a/2", "a/3", "a/4", "a/5", "a/6"))).isEqualTo(2);
		assertThat(this.names.drainOverflow()).containsExactly("a/5", "a/6");
		assertThat(this.names.drainOverflow()).isEmpty();
		assertThat(this.names.announced(List.of("a/6"))).failsWithin(0, TimeUnit.SECONDS)
			.withThrowableThat().havingCause().isInstanceOf(AnnouncementFailedException.class)
			.withMessageContaining("QUEUE_FULL");
	}

	@Test
	void waitingForNamesCompletesWhenTheyAreAnnouncedAndFailsWhenOneIsGivenUp() throws Exception {
		this.names.add(List.of("a/1", "a/2"));
		CompletableFuture<Void> first = this.names.announced(List.of("a/1"));
		CompletableFuture<Void> both = this.names.announced(List.of("a/1", "a/2"));
		CompletableFuture<Void> everything = this.names.announced(null);
		List<PendingNames.Entry> taken = this.names.take(1, 0);
		this.names.settle(taken, null);
		assertThat(first).isCompleted();
		assertThat(both).isNotDone();
		this.names.settle(this.names.take(1, 0), FailureKind.DENIED);
		assertThat(both).isCompletedExceptionally();
		assertThat(everything).failsWithin(0, TimeUnit.SECONDS).withThrowableThat().havingCause()
			.isInstanceOf(AnnouncementFailedException.class).withMessageContaining("a/2").withMessageContaining("DENIED");
	}

	@Test
	void waitingForNamesNotWaitingCompletesAtOnceUnlessTheyWereGivenUp() throws Exception {
		assertThat(this.names.announced(List.of("never/written"))).isCompleted();
		this.names.add(List.of("a/1"));
		this.names.settle(this.names.take(1, 0), FailureKind.UNREACHABLE);
		assertThat(this.names.announced(List.of("a/1"))).isCompletedExceptionally();
		this.names.add(List.of("a/1"));
		this.names.settle(this.names.take(1, 0), null);
		assertThat(this.names.announced(List.of("a/1"))).as("announced since").isCompleted();
	}

	@Test
	void namesThatWaitedTooLongAreTakenOldestFirstAndTheYoungerOnesStay() throws Exception {
		this.names.add(List.of("old/1", "old/2"));
		long cut = System.nanoTime();
		await().until(() -> System.nanoTime() - cut > 20_000_000);
		this.names.add(List.of("young/1"));
		List<PendingNames.Entry> expired = this.names.takeOlderThan(System.nanoTime() - cut);
		assertThat(names(expired)).containsExactly("old/1", "old/2");
		this.names.settle(expired, FailureKind.UNREACHABLE);
		assertThat(names(this.names.take(10, 0))).containsExactly("young/1");
		assertThat(this.names.announced(List.of("old/1"))).isCompletedExceptionally();
	}

	@Test
	void namesOfferedWithoutTheLockAreSeenByTheNextCallInCommitOrderAndOnce() throws Exception {
		this.names.add(List.of("a/1"));
		assertThat(this.names.offer(() -> List.of("a/2", "a/1"), 2)).isZero();
		assertThat(this.names.offer(() -> List.of("a/3"), 1)).isZero();
		assertThat(this.names.size()).isEqualTo(3);
		CompletableFuture<Void> announced = this.names.announced(List.of("a/3"));
		List<PendingNames.Entry> taken = this.names.take(10, 0);
		assertThat(names(taken)).containsExactly("a/1", "a/2", "a/3");
		assertThat(announced).isNotDone();
		this.names.settle(taken, null);
		assertThat(announced).isCompleted();
	}

	@Test
	void namesAreBuiltOnceWhenTheQueueTakesThemInNotWhenOffered() throws Exception {
		AtomicInteger built = new AtomicInteger();
		this.names.offer(() -> {
			built.incrementAndGet();
			return List.of("a/1");
		}, 1);
		assertThat(built).hasValue(0);
		assertThat(this.names.announced(List.of("a/1"))).as("waits for the offered name").isNotDone();
		assertThat(names(this.names.take(10, 0))).containsExactly("a/1");
		assertThat(built).hasValue(1);
	}

	@Test
	void anOfferThatMayNotFitIsQueuedAtOnceAndWhatDoesNotFitIsGivenUpOn() throws Exception {
		assertThat(this.names.offer(() -> List.of("a/1", "a/2", "a/3"), 3)).isZero();
		// 3 offered + 2 more may exceed the bound of 4: decided now, under the lock
		assertThat(this.names.offer(() -> List.of("a/4", "a/5"), 2)).isEqualTo(1);
		assertThat(this.names.drainOverflow()).containsExactly("a/5");
		assertThat(this.names.announced(List.of("a/5"))).isCompletedExceptionally();
		assertThat(names(this.names.take(10, 0))).containsExactly("a/1", "a/2", "a/3", "a/4");
	}

	@Test
	void namesOfferedBeforeCloseAreStillAnnouncedAndThoseOfferedAfterAreRefused() throws Exception {
		this.names.offer(() -> List.of("a/1"), 1);
		this.names.close();
		assertThat(this.names.offer(() -> List.of("a/2"), 1)).isEqualTo(1);
		assertThat(this.names.drainRefused()).containsExactly("a/2");
		assertThat(names(this.names.take(10, 0))).containsExactly("a/1");
	}

	@Test
	void aTakerWaitingForNamesIsWokenByAnOffer() throws Exception {
		CompletableFuture<List<PendingNames.Entry>> taken = CompletableFuture.supplyAsync(() -> {
			try {
				return this.names.take(10, TimeUnit.SECONDS.toNanos(30));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Thread.sleep(50);
		this.names.offer(() -> List.of("a/1"), 1);
		assertThat(names(taken.get(5, TimeUnit.SECONDS))).containsExactly("a/1");
	}

	@Test
	void aTakerDoesNotWaitForNamesOnceTheQueueIsClosedAndEmpty() throws Exception {
		this.names.add(List.of("a/1"));
		this.names.close();
		assertThat(this.names.isClosedAndEmpty()).as("a/1 still waits").isFalse();
		assertThat(names(this.names.take(10, 0))).containsExactly("a/1");
		assertThat(this.names.isClosedAndEmpty()).isTrue();
		CompletableFuture<List<PendingNames.Entry>> taken = CompletableFuture.supplyAsync(() -> {
			try {
				return this.names.take(10, TimeUnit.MINUTES.toNanos(1));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(taken).succeedsWithin(5, TimeUnit.SECONDS).asList().isEmpty();
	}

	@Test
	void everyNameInFlightIsAwaitedUntilSettledWhicheverWayItWasTaken() throws Exception {
		this.names.add(List.of("a/1", "a/2", "a/3"));
		List<PendingNames.Entry> first = this.names.take(1, 0);
		List<PendingNames.Entry> rest = this.names.takeAll();
		CompletableFuture<Void> all = this.names.announced(null);
		CompletableFuture<Void> two = this.names.announced(List.of("a/2"));
		assertThat(this.names.size()).isEqualTo(3);
		this.names.settle(first, null);
		assertThat(all).isNotDone();
		this.names.settle(rest.subList(0, 1), null);
		assertThat(two).isCompleted();
		this.names.settle(rest.subList(1, 2), FailureKind.CLOSED);
		assertThat(all).isCompletedExceptionally();
		assertThat(this.names.size()).isZero();
	}

	@Test
	void aCommitGivenUpAsQueueFullWhileTheNameIsInFlightFailsTheWaitThoughTheRequestUnderWaySucceeds() throws Exception {
		PendingNames full = new PendingNames(1);
		full.add(List.of("a/x"));
		List<PendingNames.Entry> inFlight = full.take(1, 0);
		CompletableFuture<Void> beforeTheRecommit = full.announced(List.of("a/x"));
		full.add(List.of("a/y"));
		assertThat(full.add(List.of("a/x"))).as("the second commit of a/x does not fit").isEqualTo(1);
		CompletableFuture<Void> beforeTheAnswer = full.announced(List.of("a/x"));
		full.settle(inFlight, null);
		CompletableFuture<Void> afterTheAnswer = full.announced(List.of("a/x"));
		assertThat(beforeTheRecommit).as("the commit it waited for was announced").isCompleted();
		assertThat(List.of(beforeTheAnswer, afterTheAnswer)).allSatisfy((announced) -> assertThat(announced)
			.failsWithin(0, TimeUnit.SECONDS).withThrowableThat().havingCause()
			.isInstanceOf(AnnouncementFailedException.class).withMessageContaining("a/x").withMessageContaining("QUEUE_FULL"));
	}

	@Test
	void aCommitRefusedAfterCloseWhileTheNameIsInFlightFailsTheWaitThoughTheRequestUnderWaySucceeds() throws Exception {
		this.names.add(List.of("a/x"));
		List<PendingNames.Entry> inFlight = this.names.take(1, 0);
		this.names.close();
		assertThat(this.names.add(List.of("a/x"))).isEqualTo(1);
		CompletableFuture<Void> beforeTheAnswer = this.names.announced(List.of("a/x"));
		this.names.settle(inFlight, null);
		assertThat(List.of(beforeTheAnswer, this.names.announced(List.of("a/x")))).allSatisfy((announced) -> assertThat(announced)
			.failsWithin(0, TimeUnit.SECONDS).withThrowableThat().havingCause()
			.isInstanceOf(AnnouncementFailedException.class).withMessageContaining("CLOSED"));
	}

	@Test
	void aGiveUpIsClearedOnlyByAnnouncingACommitMadeAfterIt() throws Exception {
		PendingNames full = new PendingNames(1);
		full.add(List.of("a/x"));
		List<PendingNames.Entry> first = full.take(1, 0);
		full.add(List.of("a/y"));
		full.add(List.of("a/x"));
		full.settle(first, null);
		full.settle(full.take(1, 0), null);
		assertThat(full.announced(List.of("a/x"))).isCompletedExceptionally();
		full.add(List.of("a/x"));
		CompletableFuture<Void> recommitted = full.announced(List.of("a/x"));
		assertThat(recommitted).as("waits for the commit made after the give-up").isNotDone();
		full.settle(full.take(1, 0), null);
		assertThat(recommitted).isCompleted();
		assertThat(full.announced(List.of("a/x"))).isCompleted();
	}

	@Test
	void aFailedRequestForAnOlderCommitDoesNotFailTheWaitForANewerOneThatIsAnnounced() throws Exception {
		this.names.add(List.of("a/x"));
		List<PendingNames.Entry> older = this.names.take(1, 0);
		this.names.add(List.of("a/x"));
		this.names.settle(older, FailureKind.UNREACHABLE);
		CompletableFuture<Void> newer = this.names.announced(List.of("a/x"));
		assertThat(newer).isNotDone();
		this.names.settle(this.names.take(1, 0), null);
		assertThat(newer).isCompleted();
		assertThat(this.names.announced(List.of("a/x"))).isCompleted();
	}

	@Test
	void whatDependsOnAWaitRunsOutsideTheQueueLock() throws Exception {
		this.names.add(List.of("a/1"));
		List<PendingNames.Entry> taken = this.names.take(1, 0);
		AtomicReference<Object> seenFromAnotherThread = new AtomicReference<>();
		CompletableFuture<Void> dependent = this.names.announced(List.of("a/1")).thenRun(() -> {
			// as a health check, a metrics scrape or a committing thread would, while this runs
			try {
				seenFromAnotherThread.set(CompletableFuture.supplyAsync(this.names::size).get(5, TimeUnit.SECONDS));
			}
			catch (Exception ex) {
				seenFromAnotherThread.set(ex);
			}
		});
		this.names.settle(taken, null);
		assertThat(dependent).isCompleted();
		assertThat(seenFromAnotherThread).hasValue(0);
	}

	private static List<String> names(List<PendingNames.Entry> entries) {
		return entries.stream().map((entry) -> entry.name).toList();
	}

}
