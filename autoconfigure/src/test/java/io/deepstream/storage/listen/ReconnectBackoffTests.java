package io.deepstream.storage.listen;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectBackoffTests {

	@Test
	void doublesUpToTheMaximum() {
		ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(700));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(700));
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(700));
	}

	@Test
	void resetStartsOver() {
		ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(30));
		backoff.next();
		backoff.next();
		backoff.reset();
		assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void neverOverflows() {
		ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(1), Duration.ofSeconds(30));
		for (int i = 0; i < 1000; i++) {
			backoff.next();
		}
		assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(30));
	}

}
