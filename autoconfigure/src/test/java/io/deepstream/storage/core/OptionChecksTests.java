package io.deepstream.storage.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OptionChecksTests {

	@Test
	void aRefusedOptionIsNamedWithItsValueAndRule() {
		InvalidOptionException ex = catchThrowableOfType(InvalidOptionException.class,
				() -> OptionChecks.requirePositive(Duration.ZERO, "writeInterval"));
		assertThat(ex.getOption()).isEqualTo("writeInterval");
		assertThat(ex.getValue()).isEqualTo(Duration.ZERO);
		assertThat(ex.getRule((name) -> name)).isEqualTo("must be positive");
		assertThat(ex).hasMessage("writeInterval must be positive, was PT0S");
	}

	@Test
	void theOtherOptionOfARuleIsRenamedByWhoeverReportsIt() {
		InvalidOptionException ex = catchThrowableOfType(InvalidOptionException.class,
				() -> OptionChecks.requireAtLeast(10, "maxBufferedWrites", 5000, "maxBatchSize"));
		assertThat(ex).hasMessage("maxBufferedWrites must be at least maxBatchSize (5000), was 10");
		assertThat(ex.getRule((name) -> name.equals("maxBatchSize") ? "max-batch-size" : "?"))
			.isEqualTo("must be at least max-batch-size (5000)");
	}

	@Test
	void wholeMillisAreAtLeastOneAndFitAnInt() {
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> OptionChecks.requireWholeMillis(Duration.ofNanos(999_999), "pollTimeout"))
			.withMessageContaining("at least 1 ms");
		assertThatExceptionOfType(InvalidOptionException.class)
			.isThrownBy(() -> OptionChecks.requireWholeMillis(Duration.ofMillis(Integer.MAX_VALUE + 1L), "pollTimeout"))
			.withMessageContaining("at most " + Integer.MAX_VALUE + " ms");
		OptionChecks.requireWholeMillis(Duration.ofMillis(1), "pollTimeout");
	}

	@Test
	void aCheckThatExplainsItselfKeepsItsMessage() {
		InvalidOptionException ex = catchThrowableOfType(InvalidOptionException.class,
				() -> OptionChecks.requireValid("pg_x", "schema", Identifiers::requireValidSchema));
		assertThat(ex.getOption()).isEqualTo("schema");
		assertThat(ex.getValue()).isEqualTo("pg_x");
		assertThat(ex).hasMessageContaining("Invalid schema name 'pg_x'").hasCauseInstanceOf(IllegalArgumentException.class);
		assertThat(ex.getRule((name) -> name)).isEqualTo(ex.getMessage());
	}

	@Test
	void aHiddenValueIsNotShown() {
		InvalidOptionException ex = new InvalidOptionException("token", null, "must not be blank");
		assertThat(ex).hasMessage("token must not be blank");
		assertThat(ex.getValue()).isNull();
	}

}
