package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompositeRecordStoreObserverTest {

	@Test
	void isNoneForNoObservers() {
		assertThat(CompositeRecordStoreObserver.of(List.of())).isSameAs(RecordStoreObserver.NONE);
	}

	@Test
	void tellsEveryObserverInOrderEvenWhenOneThrows() {
		List<String> heard = new ArrayList<>();
		RecordStoreObserver throwing = new RecordStoreObserver() {
			@Override
			public void batchFailed(String table, int writes, Throwable cause) {
				heard.add("throwing " + table);
				throw new IllegalStateException("bug");
			}
		};
		RecordStoreObserver recording = new RecordStoreObserver() {
			@Override
			public void batchFailed(String table, int writes, Throwable cause) {
				heard.add("recording " + table);
			}

			@Override
			public void batchRetried(String table, int attempt, Throwable cause) {
				heard.add("retried " + table + " " + attempt);
			}
		};
		RecordStoreObserver composite = CompositeRecordStoreObserver.of(List.of(throwing, recording));
		composite.batchFailed("cars", 3, new RuntimeException("down"));
		composite.batchRetried("bikes", 2, new RuntimeException("down"));
		composite.batchCommitted("cars", 1, 1);
		assertThat(heard).containsExactly("throwing cars", "recording cars", "retried bikes 2");
	}

}
