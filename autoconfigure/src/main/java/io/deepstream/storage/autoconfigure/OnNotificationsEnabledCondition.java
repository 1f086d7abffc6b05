package io.deepstream.storage.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless every one of the five {@code deepstream.storage.notifications} switches is off: with
 * nothing to publish there is no listener. Binds the switches as the properties do, so both
 * {@code CREATE_TABLE} and {@code create-table} count.
 */
class OnNotificationsEnabledCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		DeepstreamStorageProperties.Notifications notifications = Binder.get(context.getEnvironment())
			.bind("deepstream.storage.notifications", DeepstreamStorageProperties.Notifications.class)
			.orElseGet(DeepstreamStorageProperties.Notifications::new);
		return notifications.toSwitches().any() ? ConditionOutcome.match("a deepstream.storage notification is on")
				: ConditionOutcome.noMatch("every deepstream.storage.notifications switch is off");
	}

}
