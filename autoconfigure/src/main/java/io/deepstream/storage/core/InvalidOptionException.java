package io.deepstream.storage.core;

import java.util.List;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * An option the library refuses, told in parts: which option, its value, and the rule it breaks. Whoever
 * set the option can then report it in its own terms: the auto-configuration names the property that
 * set it. Other options a rule refers to are written {@code {name}} in the rule, so that they can be
 * renamed too ({@link #getRule(UnaryOperator)}).
 */
public class InvalidOptionException extends IllegalArgumentException {

	private final String option;

	private final @Nullable Object value;

	private final String rule;

	private final List<String> otherOptions;

	/**
	 * An option that breaks a rule.
	 * @param option the option's name, such as {@code maxBufferedWrites}
	 * @param value its value, or null when it must not be shown (a secret)
	 * @param rule the rule it breaks, such as {@code must be at least {maxBatchSize} (5000)}
	 * @param otherOptions the options the rule refers to, each written {@code {name}} in it
	 */
	public InvalidOptionException(String option, @Nullable Object value, String rule, String... otherOptions) {
		super(option + " " + render(rule, List.of(otherOptions), UnaryOperator.identity())
				+ ((value != null) ? ", was " + value : ""));
		this.option = option;
		this.value = value;
		this.rule = rule;
		this.otherOptions = List.of(otherOptions);
	}

	/**
	 * An option refused by a check that explains itself, such as {@link Identifiers#requireValidSchema}.
	 * @param option the option's name
	 * @param value its value
	 * @param cause the check's failure, whose message is the rule
	 */
	public InvalidOptionException(String option, Object value, IllegalArgumentException cause) {
		super(cause.getMessage(), cause);
		this.option = option;
		this.value = value;
		this.rule = String.valueOf(cause.getMessage());
		this.otherOptions = List.of();
	}

	/**
	 * The name of the option that was refused.
	 * @return the option's name
	 */
	public String getOption() {
		return this.option;
	}

	/**
	 * The value that was refused.
	 * @return the value, or null when it must not be shown
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

	/**
	 * The rule the value breaks, with the other options it refers to named by {@code naming}.
	 * @param naming what each option is called where it was set
	 * @return the rule, such as {@code must be at least max-batch-size (5000)}
	 */
	public String getRule(UnaryOperator<String> naming) {
		return render(this.rule, this.otherOptions, naming);
	}

	private static String render(String rule, List<String> otherOptions, UnaryOperator<String> naming) {
		String rendered = rule;
		for (String other : otherOptions) {
			rendered = rendered.replace("{" + other + "}", naming.apply(other));
		}
		return rendered;
	}

}
