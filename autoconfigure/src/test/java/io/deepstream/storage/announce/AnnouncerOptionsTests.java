package io.deepstream.storage.announce;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AnnouncerOptionsTests {

	@Test
	void urlsMustBeHttpEndpoints() {
		assertThatIllegalArgumentException().isThrownBy(() -> AnnouncerOptions.builder("ws://localhost:6020/deepstream").build())
			.withMessageContaining("urls[0] must be an http or https URL");
		assertThatIllegalArgumentException().isThrownBy(() -> AnnouncerOptions.builder("localhost:6020").build())
			.withMessageContaining("http or https");
		assertThatIllegalArgumentException().isThrownBy(() -> AnnouncerOptions.builder().build())
			.withMessageContaining("at least one");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AnnouncerOptions.builder("http://a/api", "http://a/api").build())
			.withMessageContaining("twice");
	}

	@Test
	void authDataAndTokenAreExclusive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AnnouncerOptions.builder("http://a/api").authData(Map.of("u", "v")).token("t").build())
			.withMessageContaining("exclusive");
	}

	@Test
	void limitsAreChecked() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AnnouncerOptions.builder("http://a/api").maxNamesPerRequest(10).maxPendingNames(5).build())
			.withMessageContaining("maxPendingNames");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AnnouncerOptions.builder("http://a/api").maxNamesPerRequest(0).build())
			.withMessageContaining("maxNamesPerRequest");
	}

	@Test
	void aRowOfTheDefaultTableIsAnnouncedUnderBothOfItsNames() {
		assertThat(RecordNames.of("default", List.of("x", "a/b"), "default")).containsExactly("default/x", "x", "default/a/b");
		assertThat(RecordNames.of("cars", List.of("bmw"), "default")).containsExactly("cars/bmw");
	}

}
