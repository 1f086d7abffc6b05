package io.deepstream.storage.store;

import java.math.BigDecimal;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.InvalidRecordException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns record values into the JSON text stored in {@code val} and back. Serialisation happens on the
 * caller's thread, so an unserialisable value fails its {@code set} call at once and nothing is
 * buffered. So does a value that would not come back as it went in: one that is not valid Unicode,
 * one that the mapper could write but not read again (a number longer than its
 * {@code StreamReadConstraints} allow), and for jsonb one that PostgreSQL cannot store (NUL, a
 * number outside {@code numeric}'s range) or would return in a form too long to read (jsonb keeps
 * numbers in plain notation: {@code 1E+400} comes back as 401 digits). Text that
 * {@link StrictJsonScanner} knows to be readable is not read back with Jackson.
 */
final class JsonCodec {

	private final JsonMapper mapper;

	/** Reads numbers exactly: floats as BigDecimal, big integers as BigInteger. */
	private final ObjectReader treeReader;

	private final boolean jsonb;

	/**
	 * Knows most values' JSON text to be readable without reading it with Jackson (reading it back cost
	 * a fifth of the garbage of a {@code set}); null where the mapper's parsers detect duplicate names
	 * or count tokens, which only Jackson can tell.
	 */
	private final @Nullable StrictJsonScanner readable;

	/** PostgreSQL's numeric: up to 131072 digits before the decimal point. */
	private static final long MAX_NUMERIC_INTEGER_DIGITS = 131_072;

	/** PostgreSQL's numeric: up to 16383 digits after the decimal point. */
	private static final long MAX_NUMERIC_FRACTION_DIGITS = 16_383;

	JsonCodec(JsonMapper mapper, boolean jsonb) {
		this.mapper = mapper;
		this.treeReader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
		this.jsonb = jsonb;
		this.readable = scannerFor(mapper, jsonb);
	}

	private static @Nullable StrictJsonScanner scannerFor(JsonMapper mapper, boolean jsonb) {
		try (JsonParser parser = mapper.createParser("{}")) {
			StreamReadConstraints constraints = parser.streamReadConstraints();
			if (parser.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION) || constraints.getMaxTokenCount() > 0) {
				return null;
			}
			return new StrictJsonScanner(constraints, jsonb);
		}
	}

	/**
	 * Serialises a value.
	 * @param name the record name, for the error message
	 * @param value a Jackson tree, a JSON string already serialised as a {@link JsonNode}, or any object
	 * Jackson can write
	 * @return the JSON text
	 * @throws InvalidRecordException for a null value, one Jackson cannot write, or (with jsonb) one
	 * containing the NUL character, which jsonb cannot store
	 */
	String write(String name, @Nullable Object value) {
		if (value == null || (value instanceof JsonNode node && (node.isNull() || node.isMissingNode()))) {
			throw new InvalidRecordException("Value of record '" + name + "' must not be null");
		}
		String json;
		try {
			json = this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new InvalidRecordException("Value of record '" + name + "' cannot be written as JSON: " + ex.getOriginalMessage(), ex);
		}
		// a value whose serialiser writes null (an empty Optional, a raw null) is null all the same
		if (json.length() < 16 && json.strip().equals("null")) {
			throw new InvalidRecordException("Value of record '" + name + "' must not be null (it is written as JSON null)");
		}
		int surrogate = Identifiers.unpairedSurrogate(json);
		if (surrogate >= 0) {
			throw new InvalidRecordException("Value of record '" + name + "' "
					+ Identifiers.unpairedSurrogateProblem(json, surrogate) + " of its JSON text");
		}
		if (this.jsonb && containsEscapedNul(json)) {
			throw new InvalidRecordException("Value of record '" + name
					+ "' contains the character U+0000, which a jsonb column cannot store");
		}
		if (this.readable == null || !this.readable.accepts(json)) {
			requireReadable(name, json);
		}
		return json;
	}

	/**
	 * Reads the JSON text as {@link #read} will, token by token, and for jsonb checks what PostgreSQL
	 * will make of it.
	 */
	private void requireReadable(String name, String json) {
		// The tokenizer enforces the read constraints, except on strings it skips: those are only
		// decoded where one could be too long, or (for jsonb) could hold an escaped lone surrogate.
		boolean decodeStrings = this.jsonb
				|| json.length() > this.mapper.tokenStreamFactory().streamReadConstraints().getMaxStringLength();
		try (JsonParser parser = this.mapper.createParser(json)) {
			int depth = 0;
			boolean rootDone = false;
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				// The parser reads a sequence of root values ("{} {}") without complaint; PostgreSQL's
				// json input rejects it, failing the whole batch with it, and the mapper cannot read it back.
				if (rootDone) {
					throw new InvalidRecordException("Value of record '" + name
							+ "' is more than one JSON value: its JSON text goes on after the first one ends");
				}
				if (token.isStructStart()) {
					depth++;
				}
				else if (token.isStructEnd()) {
					depth--;
				}
				rootDone = depth == 0;
				if (this.jsonb && token == JsonToken.VALUE_NUMBER_FLOAT) {
					requireStorableInJsonb(name, parser.getDecimalValue());
				}
				else if (decodeStrings && (token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME)) {
					String text = parser.getString();
					int surrogate = this.jsonb ? Identifiers.unpairedSurrogate(text) : -1;
					if (surrogate >= 0) {
						throw new InvalidRecordException("Value of record '" + name + "' has a string that "
								+ Identifiers.unpairedSurrogateProblem(text, surrogate) + ", which a jsonb column cannot store");
					}
				}
			}
		}
		catch (JacksonException ex) {
			throw new InvalidRecordException("Value of record '" + name + "' could not be read back from its JSON text: "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * jsonb stores a number as {@code numeric}: at most 131072 digits before the decimal point and
	 * 16383 after, returned in plain notation, which must be short enough to read again.
	 */
	private void requireStorableInJsonb(String name, BigDecimal number) {
		long scale = number.scale();
		long integerDigits = Math.max(1, (long) number.precision() - scale);
		long fractionDigits = Math.max(0, scale);
		String problem = null;
		if (integerDigits > MAX_NUMERIC_INTEGER_DIGITS || fractionDigits > MAX_NUMERIC_FRACTION_DIGITS) {
			problem = "is outside the range of PostgreSQL's numeric type, in which a jsonb column stores numbers";
		}
		else {
			long plainLength = 1 + integerDigits + ((fractionDigits > 0) ? 1 + fractionDigits : 0);
			int readable = this.mapper.tokenStreamFactory().streamReadConstraints().getMaxNumberLength();
			if (plainLength > readable) {
				problem = "would come back from jsonb in plain notation with " + (integerDigits + fractionDigits)
						+ " digits, more than the " + readable + " that can be read (StreamReadConstraints.maxNumberLength)";
			}
		}
		if (problem != null) {
			String shown = number.toString();
			throw new InvalidRecordException("Value of record '" + name + "' has a number ("
					+ ((shown.length() > 40) ? shown.substring(0, 40) + "..." : shown) + ") that " + problem);
		}
	}

	JsonNode read(String json) {
		return this.treeReader.readValue(json);
	}

	<T> T convert(JsonNode node, Class<T> type) {
		return this.mapper.treeToValue(node, type);
	}

	/** Whether JSON text contains the escape {@code \u0000} (and not merely an escaped backslash before "u0000"). */
	static boolean containsEscapedNul(String json) {
		int from = 0;
		while (true) {
			int at = json.indexOf("u0000", from);
			if (at < 0) {
				return false;
			}
			int backslashes = 0;
			for (int i = at - 1; i >= 0 && json.charAt(i) == '\\'; i--) {
				backslashes++;
			}
			if (backslashes % 2 == 1) {
				return true;
			}
			from = at + 1;
		}
	}

}
