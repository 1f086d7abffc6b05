package io.deepstream.storage.store;

import java.math.BigInteger;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class JsonCodecTest {

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
	void readsNumbersExactly() {
		JsonCodec codec = new JsonCodec(this.mapper, false);
		JsonNode node = codec.read("{\"big\":123456789012345678901234567890,\"pi\":3.14159265358979323846264338327950288}");
		assertThat(node.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(node.get("pi").decimalValue().toPlainString()).isEqualTo("3.14159265358979323846264338327950288");
		assertThat(codec.write("k", node)).isEqualTo(
				"{\"big\":123456789012345678901234567890,\"pi\":3.14159265358979323846264338327950288}");
	}

}
