package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompositeRecordStoreObserverTests {

	@Test
	void forwardsEveryMethodOfTheObserverInterface() {
		for (java.lang.reflect.Method method : RecordStoreObserver.class.getDeclaredMethods()) {
			if (!java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
				assertThat(java.util.Arrays.stream(CompositeRecordStoreObserver.class.getDeclaredMethods())
					.anyMatch((own) -> own.getName().equals(method.getName())
							&& java.util.Arrays.equals(own.getParameterTypes(), method.getParameterTypes())))
					.as("CompositeRecordStoreObserver forwards %s", method.getName()).isTrue();
			}
		}
		List<String> heard = new ArrayList<>();
		RecordStoreObserver recording = new RecordStoreObserver() {
			@Override
			public void recordsCommitted(String table, List<String> ids) {
				heard.add(table + " " + ids);
			}
		};
		CompositeRecordStoreObserver.of(List.of(recording, RecordStoreObserver.NONE)).recordsCommitted("cars", List.of("bmw"));
		assertThat(heard).containsExactly("cars [bmw]");
	}

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
