package io.deepstream.storage.autoconfigure;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.deepstream.storage.core.InvalidOptionException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds the library's options from {@code deepstream.storage.*} and reports an option they refuse as
 * the property that set it. The rules live once, in the options classes; the user still reads the name
 * they wrote.
 */
final class OptionProperties {

	static final String PREFIX = "deepstream.storage.";

	private OptionProperties() {
	}

	/**
	 * Builds options.
	 * @param <T> the options' type
	 * @param options builds the options from the properties
	 * @param propertyOf the property (below {@code deepstream.storage.}) that sets an option
	 * @return the options
	 * @throws InvalidConfigurationPropertyValueException naming the property of a refused option
	 */
	static <T> T build(Supplier<T> options, UnaryOperator<String> propertyOf) {
		try {
			return options.get();
		}
		catch (InvalidOptionException ex) {
			Object value = (ex.getValue() != null) ? ex.getValue() : "(hidden)";
			throw new InvalidConfigurationPropertyValueException(PREFIX + propertyOf.apply(ex.getOption()), value,
					ex.getRule(propertyOf));
		}
	}

	/**
	 * The property that sets an option in a group of properties.
	 * @param group the group, such as {@code listener.}, or empty
	 * @param option the option, such as {@code reconnectMaxBackoff}
	 * @return the property, such as {@code listener.reconnect-max-backoff}
	 */
	static String inGroup(String group, String option) {
		return group + DataObjectPropertyName.toDashedForm(option);
	}

}
