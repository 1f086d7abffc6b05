package io.deepstream.storage.store;

import java.util.List;

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
	void anInt4ArrayHoldsFourBytesPerElementInNetworkOrder() {
		ArrayParameter array = ArrayParameter.int4(List.of(1, -2, 65_536), Integer::intValue);
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
		assertThat(ArrayParameter.int4(List.of(3, -1), Integer::intValue).getValue()).isEqualTo("{3,-1}");
	}

	@Test
	void itIsSentAsTheArrayTypeOfItsElements() {
		assertThat(ArrayParameter.text(new String[] { "x" }).getType()).isEqualTo("_text");
		assertThat(ArrayParameter.int4(List.of(1), Integer::intValue).getType()).isEqualTo("_int4");
	}

}
