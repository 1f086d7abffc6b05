package io.deepstream.storage.core;

import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdentifiersTests {

	@Test
	void countsUtf8BytesAsTheEncoderWritesThem() {
		assertThat(Identifiers.utf8Length("")).isZero();
		assertThat(Identifiers.utf8Length("abc")).isEqualTo(3);
		assertThat(Identifiers.utf8Length("é€")).isEqualTo(5);
		assertThat(Identifiers.utf8Length("🚗")).isEqualTo(4);
		// an unpaired surrogate is encoded as '?'
		assertThat(Identifiers.utf8Length("a\uD83D")).isEqualTo(2);
		assertThat(Identifiers.utf8Length("\uDE97\uD83D")).isEqualTo(2);
	}

	@Property(tries = 2000)
	void countsUtf8BytesOfAnyStringAsStringGetBytesDoes(@ForAll String value) {
		assertThat(Identifiers.utf8Length(value)).isEqualTo(value.getBytes(StandardCharsets.UTF_8).length);
	}

	@Test
	void quotesByDoublingDoubleQuotes() {
		assertThat(Identifiers.quote("cars")).isEqualTo("\"cars\"");
		assertThat(Identifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
		assertThat(Identifiers.quote("x\"; DROP TABLE y; --")).isEqualTo("\"x\"\"; DROP TABLE y; --\"");
		assertThat(Identifiers.qualify("ds", "my table")).isEqualTo("\"ds\".\"my table\"");
	}

	@Test
	void acceptsAnyTableNameWithinTheRules() {
		assertThat(Identifiers.requireValidTable("Ünïcødé 🚗 'quoted' \"too\"", "k")).isNotNull();
		assertThat(Identifiers.requireValidTable("t".repeat(63), "k")).hasSize(63);
	}

	@Test
	void rejectsTableNamesBreakingARuleAndNamesTheKeyAndTheRule() {
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidTable("", "/x"))
			.withMessageContaining("'/x'").withMessageContaining("must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidTable("a:b", "a:b/x"))
			.withMessageContaining("'a:b/x'").withMessageContaining("':'");
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidTable("a\0b", "k"))
			.withMessageContaining("NUL");
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidTable("t".repeat(64), "k"))
			.withMessageContaining("64 bytes").withMessageContaining("at most 63");
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidTable("🚗".repeat(16), "k"))
			.withMessageContaining("64 bytes");
	}

	@Test
	void rejectsReservedAndInvalidSchemaNames() {
		assertThat(Identifiers.requireValidSchema("ds")).isEqualTo("ds");
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidSchema("pg_temp"))
			.withMessageContaining("pg_");
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidSchema(""));
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.requireValidSchema("a:b"));
	}

	@Test
	void refusesToQuoteInvalidIdentifiers() {
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.quote("x".repeat(64)));
		assertThatIllegalArgumentException().isThrownBy(() -> Identifiers.quote(""));
	}

	@Test
	void truncatesDerivedNamesAtACharacterBoundaryLikePostgres() {
		assertThat(Identifiers.truncate("short")).isEqualTo("short");
		assertThat(Identifiers.truncate("a".repeat(70))).isEqualTo("a".repeat(63));
		String truncated = Identifiers.truncate("a".repeat(62) + "é");
		assertThat(truncated).isEqualTo("a".repeat(62));
		assertThat(Identifiers.utf8Length(truncated)).isLessThanOrEqualTo(63);
	}

}
