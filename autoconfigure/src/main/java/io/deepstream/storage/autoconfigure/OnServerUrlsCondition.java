package io.deepstream.storage.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code deepstream.storage.server.urls} names at least one deepstream server, in any of
 * the forms a list binds from (YAML list, {@code urls[0]=...}, comma-separated).
 */
class OnServerUrlsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		List<String> urls = Binder.get(context.getEnvironment())
			.bind("deepstream.storage.server.urls", Bindable.listOf(String.class))
			.orElseGet(List::of);
		return urls.isEmpty() ? ConditionOutcome.noMatch("deepstream.storage.server.urls is empty")
				: ConditionOutcome.match("deepstream.storage.server.urls names " + urls.size() + " server(s)");
	}

}
