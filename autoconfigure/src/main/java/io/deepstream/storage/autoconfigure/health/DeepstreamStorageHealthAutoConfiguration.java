package io.deepstream.storage.autoconfigure.health;

import io.deepstream.storage.autoconfigure.DeepstreamStorageAutoConfiguration;
import io.deepstream.storage.announce.ServerAnnouncer;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link DeepstreamStorageHealthIndicator} when Spring Boot's health support is present;
 * switched off with {@code management.health.deepstream-storage.enabled=false}.
 */
@AutoConfiguration(after = DeepstreamStorageAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(PostgresRecordStore.class)
@ConditionalOnEnabledHealthIndicator("deepstream-storage")
public final class DeepstreamStorageHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "deepstreamStorageHealthIndicator")
	DeepstreamStorageHealthIndicator deepstreamStorageHealthIndicator(PostgresRecordStore store,
			ObjectProvider<NotificationListener> listener, ObjectProvider<ServerAnnouncer> announcer) {
		return new DeepstreamStorageHealthIndicator(store, listener.getIfAvailable(), announcer.getIfAvailable());
	}

}
