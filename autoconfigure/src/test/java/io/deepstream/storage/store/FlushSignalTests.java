package io.deepstream.storage.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.RecordName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlushSignalTests {

	private final FlushSignal signal = new FlushSignal();

	@Test
	void aRaisedSignalStaysRaisedUntilCleared() throws Exception {
		assertThat(this.signal.await(0)).isFalse();
		this.signal.raise();
		assertThat(this.signal.await(0)).isTrue();
		assertThat(this.signal.await(0)).as("waiting does not clear it").isTrue();
		this.signal.clear();
		assertThat(this.signal.await(TimeUnit.MILLISECONDS.toNanos(1))).isFalse();
	}

	@Test
	void aRaiseWakesTheWaitingFlusher() {
		CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return this.signal.await(TimeUnit.SECONDS.toNanos(60));
			}
			catch (InterruptedException ex) {
				throw new CompletionException(ex);
			}
		});
		this.signal.raise();
		assertThat(waiting).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(true);
	}

	@Test
	void theBufferRaisesItForAFullBatchAndAFinishedBatch() throws Exception {
		WriteBuffer buffer = new WriteBuffer(this.signal, 3, 10, WhenBufferFull.FAIL, Duration.ofSeconds(1), false);
		buffer.add(new RecordName("t", "a"), PendingWrite.upsert("a", 1, "1"));
		buffer.add(new RecordName("t", "b"), PendingWrite.upsert("b", 1, "1"));
		assertThat(this.signal.await(0)).as("two of three").isFalse();
		buffer.add(new RecordName("t", "c"), PendingWrite.upsert("c", 1, "1"));
		assertThat(this.signal.await(0)).as("a full batch").isTrue();

		this.signal.clear();
		TableBatch batch = buffer.take(false).get(0);
		assertThat(this.signal.await(0)).isFalse();
		buffer.done(batch);
		assertThat(this.signal.await(0)).as("a finished batch").isTrue();
	}

	@Test
	void theBufferRaisesItWhenWritersWaitForRoom() throws Exception {
		WriteBuffer buffer = new WriteBuffer(this.signal, 10, 1, WhenBufferFull.BLOCK, Duration.ofMillis(1), false);
		buffer.add(new RecordName("t", "a"), PendingWrite.upsert("a", 1, "1"));
		assertThat(this.signal.await(0)).isFalse();
		try {
			buffer.add(new RecordName("t", "b"), PendingWrite.upsert("b", 1, "1"));
		}
		catch (BufferFullException ex) {
			// no room came within the millisecond: the signal was raised all the same
		}
		assertThat(this.signal.await(0)).as("a writer waiting for room").isTrue();
	}

}
