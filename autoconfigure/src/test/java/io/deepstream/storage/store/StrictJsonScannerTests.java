package io.deepstream.storage.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.deepstream.storage.core.Identifiers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StrictJsonScanner} may answer "not known" for anything, but whatever it accepts, Jackson must
 * read within the same limits: that is what lets {@link JsonCodec} skip reading a value back.
 */
class StrictJsonScannerTests {

	/** Small limits, so that random text reaches them. */
	private static final StreamReadConstraints TIGHT = StreamReadConstraints.builder()
		.maxNestingDepth(3)
		.maxNumberLength(6)
		.maxStringLength(8)
		.maxNameLength(4)
		.build();

	private static final JsonMapper TIGHT_MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(TIGHT).build())
		.build();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final StrictJsonScanner defaults = new StrictJsonScanner(StreamReadConstraints.defaults(), false);

	@Test
	void acceptsStrictJson() {
		for (String json : List.of("{}", "[]", "{\"a\":1}", " {\"a\" : [1, -0.5e+10, 2E-3, true, false, null, \"x\\u00e9\\n\\\"\\\\\\/\"]}\r\n\t",
				"\"text\"", "0", "-0", "1E5", "-12.5", "null", "[[],{}]", "{\"a\":{\"b\":{\"c\":[]}}}", "\"\u00e9\u20ac🚗\"")) {
			assertThat(this.defaults.accepts(json)).as(json).isTrue();
		}
	}

	@Test
	void rejectsWhatIsNotStrictJson() {
		for (String json : List.of("", " ", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[,1]", "[1 2]", "1 2",
				"01", "-01", "1.", ".5", "+1", "-", "1e", "1e+", "NaN", "-Infinity", "'a'", "{a:1}", "{'a':1}", "\"\\x\"", "\"a\\u00\"",
				"\"a\\u00g0\"", "\"tab\there\"", "\"line\nbreak\"", "\"open", "tru", "truex", "nul", "/*c*/1", "1//c", "[1]]", "[1}",
				"{\"a\":1]", "[", "[[", "{\"a\":1}}", "\u00a01", "\"\\\"")) {
			assertThat(this.defaults.accepts(json)).as(json).isFalse();
		}
	}

	@Test
	void rejectsWhatExceedsTheLimits() {
		StrictJsonScanner tight = new StrictJsonScanner(TIGHT, false);
		assertThat(tight.accepts("[[[1]]]")).isTrue();
		assertThat(tight.accepts("[[[[1]]]]")).isFalse();
		assertThat(tight.accepts("-12345")).isTrue();
		assertThat(tight.accepts("-123456")).isFalse();
		assertThat(tight.accepts("1.2345e1")).isFalse();
		assertThat(tight.accepts("\"12345678\"")).isTrue();
		assertThat(tight.accepts("\"123456789\"")).isFalse();
		assertThat(tight.accepts("{\"abcd\":1}")).isTrue();
		assertThat(tight.accepts("{\"abcde\":1}")).isFalse();
		StrictJsonScanner shortDocuments = new StrictJsonScanner(StreamReadConstraints.builder().maxDocumentLength(5).build(), false);
		assertThat(shortDocuments.accepts("[1,2]")).isTrue();
		assertThat(shortDocuments.accepts("[1,22]")).isFalse();
	}

	@Test
	void leavesValuesDeeperThanItTracksToJackson() {
		String deep = "[".repeat(64) + "]".repeat(64);
		assertThat(this.defaults.accepts(deep)).isTrue();
		assertThat(this.defaults.accepts("[" + deep + "]")).isFalse();
	}

	@Test
	void leavesFractionsAndEscapedSurrogatesToJacksonForJsonb() {
		StrictJsonScanner jsonb = new StrictJsonScanner(StreamReadConstraints.defaults(), true);
		assertThat(jsonb.accepts("{\"a\":[1,-20,\"x\\u00e9\"]}")).isTrue();
		for (String json : List.of("1.5", "1e3", "[0.0]", "\"\\ud83d\\ude97\"", "\"\\uDE97\"", "{\"\\uD800\":1}")) {
			assertThat(jsonb.accepts(json)).as(json).isFalse();
			assertThat(this.defaults.accepts(json)).as(json).isTrue();
		}
	}

	@Property(tries = 3000)
	void whatItAcceptsJacksonReadsWithinTheSameLimits(@ForAll("jsonLike") String json, @ForAll boolean jsonb) {
		// JsonCodec refuses text with an unpaired surrogate before it asks
		Assume.that(Identifiers.unpairedSurrogate(json) < 0);
		boolean accepted = new StrictJsonScanner(TIGHT, jsonb).accepts(json);
		Statistics.label("accepted").collect(accepted);
		if (accepted) {
			assertThat(jacksonReads(TIGHT_MAPPER, json, jsonb)).as(json).isTrue();
		}
	}

	@Property(tries = 300)
	void acceptsWhatTheMapperWrites(@ForAll("values") Object value) {
		String json = MAPPER.writeValueAsString(value);
		assertThat(this.defaults.accepts(json)).as(json).isTrue();
	}

	/**
	 * Whether Jackson reads every token, decoding every string, name and number (so that each limit is
	 * checked), and for jsonb finds no fraction and no surrogate.
	 */
	private static boolean jacksonReads(JsonMapper mapper, String json, boolean jsonb) {
		try (JsonParser parser = mapper.createParser(json)) {
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				if (token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME) {
					String text = parser.getString();
					if (jsonb && Identifiers.unpairedSurrogate(text) >= 0) {
						return false;
					}
				}
				else if (token == JsonToken.VALUE_NUMBER_INT) {
					parser.getNumberValue();
				}
				else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
					parser.getDecimalValue();
					if (jsonb) {
						return false;
					}
				}
			}
			return true;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/** Strict JSON, JSON with a character changed, added or removed, and text made of JSON's characters. */
	@Provide
	Arbitrary<String> jsonLike() {
		Arbitrary<String> valid = values().map(MAPPER::writeValueAsString);
		Arbitrary<String> mutated = valid.flatMap((json) -> Arbitraries.integers()
			.between(0, json.length())
			.flatMap((at) -> Arbitraries.of("", "{", "}", "[", "]", ",", ":", "\"", "\\", "-", ".", "e", "0", "1", " ", "\n",
					"\t", "\u0001", "u", "\\u", "\\ud83d", "'", "+", "x", "true", "nul", "/*")
				.flatMap((insert) -> Arbitraries.integers()
					.between(0, Math.min(2, json.length() - at))
					.map((removed) -> json.substring(0, at) + insert + json.substring(at + removed)))));
		Arbitrary<String> noise = Arbitraries.strings()
			.withChars("{}[],:\"\\-.eE0123456789 \ntruefalsn\u00e9x")
			.ofMaxLength(30);
		return Arbitraries.frequencyOf(Tuple.of(2, valid), Tuple.of(5, mutated),
				Tuple.of(3, noise));
	}

	/** Maps, lists and scalars, a few levels deep, with strings of any characters. */
	@Provide
	Arbitrary<Object> values() {
		Arbitrary<Object> scalars = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10).map(Object.class::cast),
				Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(6).map(Object.class::cast),
				Arbitraries.integers().map(Object.class::cast), Arbitraries.longs().map(Object.class::cast),
				Arbitraries.doubles().map(Object.class::cast), Arbitraries.bigDecimals().map(Object.class::cast),
				Arbitraries.of(true, false).map(Object.class::cast));
		return Arbitraries.recursive(() -> scalars, (inner) -> Arbitraries.oneOf(
				inner.list().ofMaxSize(4).map((list) -> (Object) new ArrayList<>(list)),
				Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), inner).ofMaxSize(4).map((map) -> (Object) Map.copyOf(map))),
				0, 4);
	}

}
