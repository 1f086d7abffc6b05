package io.deepstream.storage.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordKeyTest {

	@Test
	void splitsAtTheFirstSlash() {
		assertThat(RecordKey.parse("cars/bmw", "default")).isEqualTo(new RecordKey("cars", "bmw"));
		assertThat(RecordKey.parse("a/b/c", "default")).isEqualTo(new RecordKey("a", "b/c"));
		assertThat(RecordKey.parse("a/b/c", "default").name()).isEqualTo("a/b/c");
	}

	@Test
	void keysWithoutSlashGoToTheDefaultTable() {
		assertThat(RecordKey.parse("bmw", "default")).isEqualTo(new RecordKey("default", "bmw"));
		assertThat(RecordKey.parse("bmw", "other")).isEqualTo(new RecordKey("other", "bmw"));
	}

	@Test
	void idsMayContainAnythingButNul() {
		assertThat(RecordKey.parse("t/it's:a;'--/*x*/ 🚗\n", "default").id()).isEqualTo("it's:a;'--/*x*/ 🚗\n");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("t/a\0b", "default"))
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("t/", "default"))
			.withMessageContaining("id must not be empty");
	}

	@Test
	void rejectsIdsTooLongForANotification() {
		String table = "t";
		int maxId = RecordKey.MAX_PAYLOAD_BYTES - "UPDATE::".length() - table.length();
		assertThat(RecordKey.parse(table + "/" + "i".repeat(maxId), "default").id()).hasSize(maxId);
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse(table + "/" + "i".repeat(maxId + 1), "default"))
			.withMessageContaining("8000").isNotNull();
	}

	@Test
	void rejectsInvalidTables() {
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("a:b/c", "default"));
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("/c", "default"));
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse(null, "default"));
	}

}
