package io.deepstream.storage.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code close()} writes everything still buffered before it returns.
 */
@ExtendWith(TestSchema.class)
class FlushOnCloseIT {

	@Test
	void tenThousandBufferedWritesAreAllPresentAfterClose(TestSchema.Name schema) {
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		StoreFixture fixture = StoreFixture.start(schema.value(),
				(options) -> options.writeInterval(Duration.ofHours(1)).maxBatchSize(20_000).maxBufferedWrites(20_000));
		for (int i = 0; i < 10_000; i++) {
			futures.add(fixture.store.set("closing" + (i % 7) + "/" + i, 1, Map.of("i", i)));
		}
		assertThat(fixture.store.statistics().buffered()).isEqualTo(10_000);
		fixture.close();
		assertThat(futures).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
		long total = 0;
		for (int table = 0; table < 7; table++) {
			total += schema.database().queryForLong("SELECT count(*) FROM \"" + schema + "\".closing" + table);
		}
		assertThat(total).isEqualTo(10_000);
	}

}
