package io.deepstream.storage.autoconfigure.metrics;

import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.deepstream.storage.autoconfigure.DeepstreamStoragePoolCustomizer;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link DeepstreamStorageMetrics} and HikariCP's pool meters when Micrometer is present.
 * Ordered before the storage auto-configuration because the record store reports every flush to it.
 */
@AutoConfiguration(beforeName = "io.deepstream.storage.autoconfigure.DeepstreamStorageAutoConfiguration")
@ConditionalOnClass({ MeterBinder.class, PostgresRecordStore.class })
@ConditionalOnBooleanProperty(name = "deepstream.storage.enabled", matchIfMissing = true)
public final class DeepstreamStorageMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeepstreamStorageMetrics deepstreamStorageMetrics(ObjectProvider<PostgresRecordStore> store,
			ObjectProvider<NotificationListener> listener) {
		return new DeepstreamStorageMetrics(store, listener);
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
