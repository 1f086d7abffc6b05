package io.deepstream.storage.listen;

/**
 * Why a payload was not understood. The listener logs the first payload of each problem at WARN and
 * counts all of them, so a foreign publisher on the channel cannot flood the log.
 */
public enum PayloadProblem {

	/** The part before the first {@code :} is not one of the five kinds (they are upper case). */
	UNKNOWN_KIND("does not start with CREATE_TABLE:, DESTROY_TABLE:, INSERT:, UPDATE: or DELETE:"),

	/** Nothing names the table: {@code INSERT}, {@code CREATE_TABLE:} or {@code INSERT::id}. */
	MISSING_TABLE("names no table"),

	/** A record change with no {@code :} after the table: {@code INSERT:cars}. */
	MISSING_ID("has no ':' between the table and the record id"),

	/** A record change whose id is empty: {@code INSERT:cars:}. */
	EMPTY_ID("has an empty record id");

	private final String description;

	PayloadProblem(String description) {
		this.description = description;
	}

	/**
	 * A phrase that completes "the payload ...".
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

}
