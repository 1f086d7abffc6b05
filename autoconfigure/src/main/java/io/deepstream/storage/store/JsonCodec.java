package io.deepstream.storage.store;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns record values into the JSON text stored in {@code val} and back. Serialisation happens on the
 * caller's thread, so an unserialisable value fails its {@code set} call at once and nothing is
 * buffered.
 */
final class JsonCodec {

	private final JsonMapper mapper;

	/** Reads numbers exactly: floats as BigDecimal, big integers as BigInteger. */
	private final ObjectReader treeReader;

	private final boolean jsonb;

	JsonCodec(JsonMapper mapper, boolean jsonb) {
		this.mapper = mapper;
		this.treeReader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
		this.jsonb = jsonb;
	}

	/**
	 * Serialises a value.
	 * @param key the record name, for the error message
	 * @param value a Jackson tree, a JSON string already serialised as a {@link JsonNode}, or any object
	 * Jackson can write
	 * @return the JSON text
	 * @throws IllegalArgumentException for a null value, one Jackson cannot write, or (with jsonb) one
	 * containing the NUL character, which jsonb cannot store
	 */
	String write(String key, @Nullable Object value) {
		if (value == null || (value instanceof JsonNode node && (node.isNull() || node.isMissingNode()))) {
			throw new IllegalArgumentException("Value of record '" + key + "' must not be null");
		}
		String json;
		try {
			json = this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Value of record '" + key + "' cannot be written as JSON: " + ex.getOriginalMessage(), ex);
		}
		if (this.jsonb && containsEscapedNul(json)) {
			throw new IllegalArgumentException("Value of record '" + key
					+ "' contains the character U+0000, which a jsonb column cannot store");
		}
		return json;
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
