package io.deepstream.storage.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecordNameTests {

	@Test
	void splitsAtTheFirstSlash() {
		assertThat(RecordName.parse("cars/bmw", "default")).isEqualTo(new RecordName("cars", "bmw"));
		assertThat(RecordName.parse("a/b/c", "default")).isEqualTo(new RecordName("a", "b/c"));
		assertThat(RecordName.parse("a/b/c", "default").name()).isEqualTo("a/b/c");
	}

	@Test
	void namesWithoutSlashGoToTheDefaultTable() {
		assertThat(RecordName.parse("bmw", "default")).isEqualTo(new RecordName("default", "bmw"));
		assertThat(RecordName.parse("bmw", "other")).isEqualTo(new RecordName("other", "bmw"));
	}

	@Test
	void idsMayContainAnythingButNul() {
		assertThat(RecordName.parse("t/it's:a;'--/*x*/ 🚗\n", "default").id()).isEqualTo("it's:a;'--/*x*/ 🚗\n");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/a\0b", "default"))
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/", "default"))
			.withMessageContaining("id must not be empty");
	}

	@Test
	void rejectsIdsTooLongForThePrimaryKey() {
		String longest = "i".repeat(RecordName.MAX_ID_BYTES);
		assertThat(RecordName.parse("t/" + longest, "default").id()).isEqualTo(longest);
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/" + longest + "i", "default"))
			.withMessageContaining("2693 bytes").withMessageContaining("at most 2692");
		// counted in bytes of UTF-8: a 2-byte character
		String accented = "é".repeat(RecordName.MAX_ID_BYTES / 2);
		assertThat(RecordName.parse("t/" + accented, "default").id()).isEqualTo(accented);
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/" + accented + "é", "default"));
		// 3-byte characters: 897 of them (2,691 bytes) are short enough not to be counted, 898 are counted
		String euros = "€".repeat(RecordName.MAX_ID_BYTES / 3);
		assertThat(RecordName.parse("t/" + euros, "default").id()).isEqualTo(euros);
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/" + euros + "€", "default"))
			.withMessageContaining("2694 bytes");
		// a surrogate pair is 2 chars and 4 bytes
		String emoji = "\uD83D\uDE00".repeat(RecordName.MAX_ID_BYTES / 4);
		assertThat(RecordName.parse("t/" + emoji, "default").id()).isEqualTo(emoji);
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/" + emoji + "\uD83D\uDE00", "default"))
			.withMessageContaining("2696 bytes");
		// the longest record name still makes a notification payload PostgreSQL accepts
		assertThat("UPDATE:".length() + Identifiers.MAX_BYTES + 1 + RecordName.MAX_ID_BYTES)
			.isLessThanOrEqualTo(RecordName.MAX_PAYLOAD_BYTES);
	}

	@Test
	void rejectsInvalidUnicode() {
		assertThat(RecordName.parse("t/🚗", "default").id()).isEqualTo("🚗");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/x\uD83D", "default"))
			.withMessageContaining("unpaired surrogate U+D83D at index 1");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("t/\uDE97x", "default"))
			.withMessageContaining("unpaired surrogate U+DE97 at index 0");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("\uDE97/x", "default"))
			.withMessageContaining("Invalid table name");
	}

	@Test
	void rejectsInvalidTables() {
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("a:b/c", "default"));
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse("/c", "default"));
		assertThatIllegalArgumentException().isThrownBy(() -> RecordName.parse(null, "default"));
	}

	@Test
	@SuppressWarnings("removal")
	void theDeprecatedRecordKeyParsesAsRecordName() {
		assertThat(RecordKey.parse("a/b/c", "default")).isEqualTo(new RecordKey("a", "b/c"));
		assertThat(RecordKey.parse("bmw", "other").name()).isEqualTo("other/bmw");
		assertThatIllegalArgumentException().isThrownBy(() -> RecordKey.parse("t/", "default"));
		assertThat(RecordKey.MAX_ID_BYTES).isEqualTo(RecordName.MAX_ID_BYTES);
	}

}
