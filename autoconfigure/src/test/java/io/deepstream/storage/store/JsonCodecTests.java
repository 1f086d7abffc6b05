package io.deepstream.storage.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonCodecTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void detectsAnEscapedNulButNotAnEscapedBackslashBeforeU0000() {
		assertThat(JsonCodec.containsEscapedNul("{\"a\":\"x\\u0000y\"}")).isTrue();
		assertThat(JsonCodec.containsEscapedNul("{\"a\":\"x\\\\u0000y\"}")).isFalse();
		assertThat(JsonCodec.containsEscapedNul("{\"a\":\"\\\\\\u0000\"}")).isTrue();
		assertThat(JsonCodec.containsEscapedNul("{\"u0000\":1}")).isFalse();
	}

	@Test
	void rejectsNulOnlyForJsonb() {
		Map<String, String> value = Map.of("a", "x\0y");
		assertThat(new JsonCodec(this.mapper, false).write("k", value)).isEqualTo("{\"a\":\"x\\u0000y\"}");
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonCodec(this.mapper, true).write("k", value))
			.withMessageContaining("U+0000");
	}

	@Test
	void rejectsNullValues() {
		JsonCodec codec = new JsonCodec(this.mapper, false);
		assertThatIllegalArgumentException().isThrownBy(() -> codec.write("k", null));
		assertThatIllegalArgumentException().isThrownBy(() -> codec.write("k", this.mapper.nullNode()));
	}

	@Test
	void rejectsValuesWrittenAsJsonNull() {
		JsonCodec codec = new JsonCodec(this.mapper, false);
		assertThatIllegalArgumentException().isThrownBy(() -> codec.write("k", Optional.empty()))
			.withMessageContaining("must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> codec.write("k", new RawValue(" null ")))
			.withMessageContaining("must not be null");
		assertThat(codec.write("k", Map.of("a", Optional.empty()))).isEqualTo("{\"a\":null}");
	}

	@Test
	void rejectsMoreThanOneRootValue() {
		for (boolean jsonb : new boolean[] { false, true }) {
			JsonCodec codec = new JsonCodec(this.mapper, jsonb);
			for (String text : new String[] { "{} {}", "1 2", "[1] \"x\"", "\"a\" {\"b\":1}" }) {
				assertThatIllegalArgumentException().as(text).isThrownBy(() -> codec.write("k", new RawValue(text)))
					.withMessageContaining("more than one JSON value");
			}
			assertThat(codec.write("k", new RawValue(" {\"a\":[1,{\"b\":2}]} "))).isEqualTo(" {\"a\":[1,{\"b\":2}]} ");
			assertThat(codec.write("k", new RawValue("[[]]"))).isEqualTo("[[]]");
		}
	}

	@Test
	void readsNumbersExactly() {
		JsonCodec codec = new JsonCodec(this.mapper, false);
		JsonNode node = codec.read("{\"big\":123456789012345678901234567890,\"pi\":3.14159265358979323846264338327950288}");
		assertThat(node.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(node.get("pi").decimalValue().toPlainString()).isEqualTo("3.14159265358979323846264338327950288");
		assertThat(codec.write("k", node)).isEqualTo(
				"{\"big\":123456789012345678901234567890,\"pi\":3.14159265358979323846264338327950288}");
	}

	@Test
	void rejectsValuesThatAreNotValidUnicode() {
		for (boolean jsonb : new boolean[] { false, true }) {
			JsonCodec codec = new JsonCodec(this.mapper, jsonb);
			assertThat(codec.write("k", Map.of("car", "🚗"))).isEqualTo("{\"car\":\"🚗\"}");
			assertThatIllegalArgumentException().isThrownBy(() -> codec.write("k", Map.of("a", "x\uD83D")))
				.withMessageContaining("unpaired surrogate U+D83D");
			assertThatIllegalArgumentException().isThrownBy(() -> codec.write("k", Map.of("\uDE97", 1)))
				.withMessageContaining("unpaired surrogate");
		}
		JsonNode readFromAnEscape = new JsonCodec(this.mapper, false).read("{\"a\":\"\\ud83d\"}");
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonCodec(this.mapper, false).write("k", readFromAnEscape))
			.withMessageContaining("unpaired surrogate U+D83D");
	}

	@Test
	void rejectsNumbersThatCouldNotBeReadBack() {
		BigInteger thousandDigits = BigInteger.TEN.pow(999);
		BigInteger tooManyDigits = BigInteger.TEN.pow(1000);
		for (boolean jsonb : new boolean[] { false, true }) {
			JsonCodec codec = new JsonCodec(this.mapper, jsonb);
			assertThat(codec.write("k", thousandDigits)).hasSize(1000);
			assertThatIllegalArgumentException().isThrownBy(() -> codec.write("k", tooManyDigits))
				.withMessageContaining("could not be read back")
				.withMessageContaining("1001");
		}
	}

	@Test
	void rejectsNumbersThatJsonbWouldStoreOutOfRangeOrTooLongToRead() {
		JsonCodec text = new JsonCodec(this.mapper, false);
		JsonCodec jsonb = new JsonCodec(this.mapper, true);
		for (String number : new String[] { "1E+400", "-1E-400", "1.5E+997", "0.000" }) {
			assertThat(jsonb.write("k", new BigDecimal(number))).isEqualTo(number);
			assertThat(text.write("k", new BigDecimal(number))).isEqualTo(number);
		}
		for (String number : new String[] { "1E+1000", "1E-1000", "1E+200000", "1E-20000", "1E+2000000000" }) {
			assertThat(text.write("k", new BigDecimal(number))).as("text stores %s as written", number).isEqualTo(number);
			assertThatIllegalArgumentException().isThrownBy(() -> jsonb.write("k", Map.of("n", new BigDecimal(number))))
				.withMessageContaining("has a number (" + number + ")");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> jsonb.write("k", new BigDecimal("1E-20000")))
			.withMessageContaining("range of PostgreSQL's numeric");
		assertThatIllegalArgumentException().isThrownBy(() -> jsonb.write("k", new BigDecimal("1E+1000")))
			.withMessageContaining("plain notation with 1001 digits");
	}

	@Test
	void rejectsNestingDeeperThanTheMapperWrites() {
		JsonNode deep = this.mapper.getNodeFactory().numberNode(1);
		for (int i = 0; i < 1000; i++) {
			deep = this.mapper.createArrayNode().add(deep);
		}
		JsonNode tooDeep = deep;
		assertThatIllegalArgumentException().isThrownBy(() -> new JsonCodec(this.mapper, false).write("k", tooDeep))
			.withMessageContaining("cannot be written as JSON")
			.withMessageContaining("nesting depth");
	}

}
