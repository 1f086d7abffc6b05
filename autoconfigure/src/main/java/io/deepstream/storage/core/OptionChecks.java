package io.deepstream.storage.core;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The rules shared by the options classes, each failing with an {@link InvalidOptionException} that
 * names the option, so that a rule is written once and reported in the terms of whoever set it.
 */
public final class OptionChecks {

	private OptionChecks() {
	}

	/**
	 * Requires a duration longer than zero.
	 * @param value the duration
	 * @param option the option's name
	 * @throws InvalidOptionException if it is zero or negative
	 */
	public static void requirePositive(Duration value, String option) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidOptionException(option, value, "must be positive");
		}
	}

	/**
	 * Requires a duration that is not negative (zero often means "for ever").
	 * @param value the duration
	 * @param option the option's name
	 * @throws InvalidOptionException if it is negative
	 */
	public static void requireNotNegative(Duration value, String option) {
		if (value.isNegative()) {
			throw new InvalidOptionException(option, value, "must not be negative");
		}
	}

	/**
	 * Requires a duration that JDBC can take in whole milliseconds: at least 1 ms (0 often means "for
	 * ever" there), at most {@link Integer#MAX_VALUE} ms.
	 * @param value the duration
	 * @param option the option's name
	 * @throws InvalidOptionException if it is not
	 */
	public static void requireWholeMillis(Duration value, String option) {
		if (value.isNegative() || value.toMillis() < 1) {
			throw new InvalidOptionException(option, value, "must be positive and at least 1 ms");
		}
		if (value.toMillis() > Integer.MAX_VALUE) {
			throw new InvalidOptionException(option, value, "must be at most " + Integer.MAX_VALUE + " ms");
		}
	}

	/**
	 * Requires a number of at least {@code min}.
	 * @param value the number
	 * @param min the least allowed
	 * @param option the option's name
	 * @throws InvalidOptionException if it is smaller
	 */
	public static void requireAtLeast(int value, int min, String option) {
		if (value < min) {
			throw new InvalidOptionException(option, value, "must be at least " + min);
		}
	}

	/**
	 * Requires a number that is not negative.
	 * @param value the number
	 * @param option the option's name
	 * @throws InvalidOptionException if it is negative
	 */
	public static void requireNotNegative(int value, String option) {
		if (value < 0) {
			throw new InvalidOptionException(option, value, "must not be negative");
		}
	}

	/**
	 * Requires a value of at least that of another option.
	 * @param <T> the type of both
	 * @param value the value
	 * @param option the option's name
	 * @param other the other option's value
	 * @param otherOption the other option's name
	 * @throws InvalidOptionException naming both if the value is smaller
	 */
	public static <T extends Comparable<? super T>> void requireAtLeast(T value, String option, T other,
			String otherOption) {
		if (value.compareTo(other) < 0) {
			throw new InvalidOptionException(option, value, "must be at least {" + otherOption + "} (" + other + ")",
					otherOption);
		}
	}

	/**
	 * Runs a check that explains itself (such as {@link Identifiers#requireValidSchema}) on an option.
	 * @param <T> the option's type
	 * @param value the value
	 * @param option the option's name
	 * @param check the check, failing with an {@link IllegalArgumentException}
	 * @throws InvalidOptionException with the check's message if it fails
	 */
	public static <T> void requireValid(T value, String option, Consumer<T> check) {
		try {
			check.accept(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidOptionException(option, value, ex);
		}
	}

}
