package io.deepstream.storage.test;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the throwaway cluster runs its commands ({@code initdb}, {@code pg_ctl}): a command is waited
 * for at most its timeout, and a child that outlives it holding the command's output (as a server
 * started without a log file would) does not hold the caller.
 */
class ThrowawayPostgresCommandTests {

	@Test
	void aCommandThatOutlivesItsTimeoutIsEndedAndReported() {
		long start = System.nanoTime();
		ThrowawayPostgres.Result result = ThrowawayPostgres.exec(List.of("sh", "-c", "echo waiting; exec sleep 30"),
				Duration.ofMillis(300));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(result.exitCode()).isEqualTo(-1);
		assertThat(result.output()).contains("waiting", "timed out after PT0.3S");
	}

	@Test
	void aChildHoldingTheOutputDoesNotHoldTheCommand() {
		long start = System.nanoTime();
		// the shell ends at once; its background child keeps the output open for 20 seconds
		ThrowawayPostgres.Result result = ThrowawayPostgres.exec(List.of("sh", "-c", "echo started; sleep 20 &"),
				Duration.ofSeconds(60));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(result.exitCode()).isZero();
		assertThat(result.output()).isEqualTo("started\n");
	}

}
