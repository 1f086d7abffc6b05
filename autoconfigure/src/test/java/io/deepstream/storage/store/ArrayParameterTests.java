package io.deepstream.storage.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The binary layout of {@link ArrayParameter} (PostgreSQL's {@code array_recv}) and its text form. */
class ArrayParameterTests {

	@Test
	void aTextArrayIsOneDimensionWithALengthBeforeEachUtf8Element() {
		ArrayParameter array = ArrayParameter.text(new String[] { "a", "é" });
		byte[] bytes = new byte[array.lengthInBytes()];
		array.toBytes(bytes, 0);

		assertThat(bytes).containsExactly(
				0, 0, 0, 1, // one dimension
				0, 0, 0, 0, // no nulls
				0, 0, 0, 25, // of text
				0, 0, 0, 2, // two elements
				0, 0, 0, 1, // from index 1
				0, 0, 0, 1, 'a', //
				0, 0, 0, 2, (byte) 0xC3, (byte) 0xA9);
	}

	@Test
	void encodesEveryKindOfCharacterAsUtf8() {
		String text = "a\u00e9\u20ac\ud83d\ude97\ud83d?\ude97";
		ArrayParameter array = ArrayParameter.text(new String[] { text });
		byte[] bytes = new byte[array.lengthInBytes()];
		array.toBytes(bytes, 0);
		// one byte, two, three, four (a pair), an unpaired high and an unpaired low surrogate as '?'
		assertThat(ByteBuffer.wrap(bytes, 20, 4).getInt()).isEqualTo(1 + 2 + 3 + 4 + 1 + 1 + 1);
		assertThat(new String(bytes, 24, bytes.length - 24, StandardCharsets.UTF_8)).isEqualTo("a\u00e9\u20ac\ud83d\ude97???");
	}

	@Property(tries = 500)
	void writesTheBytesOfEachElementAsStringGetBytesEncodesThem(@ForAll List<String> values) {
		ArrayParameter array = ArrayParameter.text(values.toArray(String[]::new));
		byte[] bytes = new byte[array.lengthInBytes()];
		array.toBytes(bytes, 0);
		if (values.isEmpty()) {
			assertThat(bytes).hasSize(12);
			return;
		}
		ByteArrayOutputStream elements = new ByteArrayOutputStream();
		for (String value : values) {
			byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
			elements.writeBytes(ByteBuffer.allocate(4).putInt(encoded.length).array());
			elements.writeBytes(encoded);
		}
		byte[] expected = elements.toByteArray();
		assertThat(bytes).hasSize(20 + expected.length);
		assertThat(ByteBuffer.wrap(bytes, 12, 4).getInt()).isEqualTo(values.size());
		assertThat(Arrays.copyOfRange(bytes, 20, bytes.length)).isEqualTo(expected);
	}

	@Test
	void anInt4ArrayHoldsFourBytesPerElementInNetworkOrder() {
		ArrayParameter array = ArrayParameter.int4(new int[] { 1, -2, 65_536 });
		byte[] bytes = new byte[array.lengthInBytes() + 3];
		array.toBytes(bytes, 3);

		assertThat(bytes).containsExactly(0, 0, 0, // before the offset
				0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 3, 0, 0, 0, 1, //
				0, 0, 0, 4, 0, 0, 0, 1, //
				0, 0, 0, 4, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, //
				0, 0, 0, 4, 0, 1, 0, 0);
	}

	@Test
	void anEmptyArrayHasNoDimension() {
		ArrayParameter array = ArrayParameter.text(new String[0]);
		byte[] bytes = new byte[array.lengthInBytes()];
		array.toBytes(bytes, 0);

		assertThat(bytes).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25);
		assertThat(array.getValue()).isEqualTo("{}");
	}

	@Test
	void theTextFormQuotesEveryElementAndEscapesQuotesAndBackslashes() {
		assertThat(ArrayParameter.text(new String[] { "a\"b", "c\\d", "", "NULL", "{x,y}" }).getValue())
			.isEqualTo("{\"a\\\"b\",\"c\\\\d\",\"\",\"NULL\",\"{x,y}\"}");
		assertThat(ArrayParameter.int4(new int[] { 3, -1 }).getValue()).isEqualTo("{3,-1}");
	}

	@Test
	void itIsSentAsTheArrayTypeOfItsElements() {
		assertThat(ArrayParameter.text(new String[] { "x" }).getType()).isEqualTo("_text");
		assertThat(ArrayParameter.int4(new int[] { 1 }).getType()).isEqualTo("_int4");
	}

}
