package io.deepstream.storage.autoconfigure.metrics;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.deepstream.storage.autoconfigure.DeepstreamStorageAutoConfiguration;
import io.deepstream.storage.autoconfigure.DeepstreamStoragePoolCustomizer;
import io.deepstream.storage.announce.ServerAnnouncer;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link DeepstreamStorageMetrics} and HikariCP's pool meters when there is a
 * {@link MeterRegistry} (Actuator's metrics auto-configuration makes one). Ordered after the meter
 * registry's auto-configurations, as Spring Boot's own metrics auto-configurations are, so that the
 * condition sees the registry. The record store, built later, reports every flush to the metrics,
 * one of its {@code RecordStoreObserver}s.
 */
@AutoConfiguration(after = DeepstreamStorageAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, MeterBinder.class, PostgresRecordStore.class })
@ConditionalOnBean({ MeterRegistry.class, PostgresRecordStore.class })
public final class DeepstreamStorageMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeepstreamStorageMetrics deepstreamStorageMetrics(ObjectProvider<PostgresRecordStore> store,
			ObjectProvider<NotificationListener> listener, ObjectProvider<ServerAnnouncer> announcer) {
		return new DeepstreamStorageMetrics(store, listener, announcer);
	}

	@Bean
	DeepstreamStoragePoolCustomizer deepstreamStoragePoolMetrics(ObjectProvider<MeterRegistry> registry) {
		return (config) -> {
			MeterRegistry meterRegistry = registry.getIfUnique();
			if (meterRegistry != null) {
				config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meterRegistry));
			}
		};
	}

}
