package io.deepstream.storage.listen;

import java.time.Duration;

import io.deepstream.storage.core.NotificationSwitches;
import io.deepstream.storage.store.RecordStoreOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ListenerOptionsTests {

	@Test
	void defaults() {
		ListenerOptions options = ListenerOptions.defaults();
		assertThat(options.schema()).isEqualTo("ds");
		assertThat(options.notifications()).isEqualTo(NotificationSwitches.ALL);
		assertThat(options.pollTimeout()).isEqualTo(Duration.ofMillis(500));
		assertThat(options.validationInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.validationTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(options.reconnectInitialBackoff()).isEqualTo(Duration.ofMillis(100));
		assertThat(options.reconnectMaxBackoff()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void defaultSchemaIsTheRecordStoresDefault() {
		assertThat(ListenerOptions.defaults().schema()).isEqualTo(RecordStoreOptions.defaults().schema());
	}

	@Test
	void detectionBoundIsIntervalPlusPollPlusValidation() {
		assertThat(ListenerOptions.defaults().maxDetectionTime()).isEqualTo(Duration.ofMillis(7500));
		ListenerOptions options = ListenerOptions.builder()
			.pollTimeout(Duration.ofMillis(100))
			.validationInterval(Duration.ofSeconds(1))
			.validationTimeout(Duration.ofMillis(300))
			.build();
		assertThat(options.maxDetectionTime()).isEqualTo(Duration.ofMillis(1400));
	}

	@Test
	void builderRoundTrips() {
		ListenerOptions options = ListenerOptions.builder()
			.schema("other")
			.notifications(NotificationSwitches.NONE)
			.pollTimeout(Duration.ofMillis(1))
			.validationInterval(Duration.ofMillis(2))
			.validationTimeout(Duration.ofMillis(3))
			.reconnectInitialBackoff(Duration.ofMillis(4))
			.reconnectMaxBackoff(Duration.ofMillis(5))
			.stopTimeout(Duration.ofMillis(6))
			.build();
		assertThat(options.toBuilder().build()).isEqualTo(options);
		assertThat(options.schema()).isEqualTo("other");
		assertThat(options.stopTimeout()).isEqualTo(Duration.ofMillis(6));
	}

	@Test
	void rejectsDurationsThatAreNotPositiveWholeMillis() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().pollTimeout(Duration.ZERO).build())
			.withMessageContaining("pollTimeout");
		// 0.5 ms would be 0 ms for JDBC, and getNotifications(0) blocks for ever
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().pollTimeout(Duration.ofNanos(500_000)).build())
			.withMessageContaining("pollTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().validationInterval(Duration.ofSeconds(-1)).build())
			.withMessageContaining("validationInterval");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().validationTimeout(Duration.ZERO).build())
			.withMessageContaining("validationTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().reconnectInitialBackoff(Duration.ZERO).build())
			.withMessageContaining("reconnectInitialBackoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().reconnectMaxBackoff(Duration.ofMillis(-5)).build())
			.withMessageContaining("reconnectMaxBackoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().stopTimeout(Duration.ZERO).build())
			.withMessageContaining("stopTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder().pollTimeout(Duration.ofDays(30)).build())
			.withMessageContaining("pollTimeout");
	}

	@Test
	void rejectsAMaximumBackoffBelowTheInitialOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ListenerOptions.builder()
				.reconnectInitialBackoff(Duration.ofSeconds(2))
				.reconnectMaxBackoff(Duration.ofSeconds(1))
				.build())
			.withMessageContaining("reconnectMaxBackoff")
			.withMessageContaining("reconnectInitialBackoff");
	}

	@Test
	void rejectsInvalidSchemas() {
		assertThatIllegalArgumentException().isThrownBy(() -> ListenerOptions.builder().schema("").build());
		assertThatIllegalArgumentException().isThrownBy(() -> ListenerOptions.builder().schema("pg_catalog").build());
		assertThatIllegalArgumentException().isThrownBy(() -> ListenerOptions.builder().schema("x".repeat(64)).build());
	}

}
