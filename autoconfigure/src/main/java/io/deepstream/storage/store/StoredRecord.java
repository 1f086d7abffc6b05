package io.deepstream.storage.store;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A record as read: its version and JSON value. A record that does not exist reads as version
 * {@code -1} with no value, as in the reference.
 *
 * @param version the deepstream version, -1 when absent
 * @param value the JSON value, null when absent
 */
public record StoredRecord(int version, @Nullable JsonNode value) {

	/** The record that does not exist. */
	public static final StoredRecord MISSING = new StoredRecord(-1, null);

	/**
	 * Whether the record exists.
	 * @return true if it has a value
	 */
	public boolean exists() {
		return this.value != null;
	}

}
