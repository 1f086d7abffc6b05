package io.deepstream.storage.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordKeyTests {

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
	void rejectsIdsTooLongForThePrimaryKey() {
		String longest = "i".repeat(RecordKey.MAX_ID_BYTES);
		assertThat(RecordKey.parse("t/" + longest, "default").id()).isEqualTo(longest);
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("t/" + longest + "i", "default"))
			.withMessageContaining("2693 bytes").withMessageContaining("at most 2692");
		// counted in bytes of UTF-8: a 2-byte character
		String accented = "é".repeat(RecordKey.MAX_ID_BYTES / 2);
		assertThat(RecordKey.parse("t/" + accented, "default").id()).isEqualTo(accented);
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("t/" + accented + "é", "default"));
		// the longest record name still makes a notification payload PostgreSQL accepts
		assertThat("UPDATE:".length() + Identifiers.MAX_BYTES + 1 + RecordKey.MAX_ID_BYTES)
			.isLessThanOrEqualTo(RecordKey.MAX_PAYLOAD_BYTES);
	}

	@Test
	void rejectsInvalidUnicode() {
		assertThat(RecordKey.parse("t/🚗", "default").id()).isEqualTo("🚗");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("t/x\uD83D", "default"))
			.withMessageContaining("unpaired surrogate U+D83D at index 1");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("t/\uDE97x", "default"))
			.withMessageContaining("unpaired surrogate U+DE97 at index 0");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("\uDE97/x", "default"))
			.withMessageContaining("Invalid table name");
	}

	@Test
	void rejectsInvalidTables() {
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("a:b/c", "default"));
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("/c", "default"));
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse(null, "default"));
	}

}
