package io.deepstream.storage.autoconfigure.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.deepstream.storage.autoconfigure.DeepstreamStorageAutoConfiguration;
import io.deepstream.storage.autoconfigure.DeepstreamStoragePoolCustomizer;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreObserver;
import io.deepstream.storage.test.TestSchema;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics are auto-configured after the meter registry, only when there is one, and every
 * {@link RecordStoreObserver} bean (the metrics one among them) hears about every flush.
 */
@ExtendWith(TestSchema.class)
class DeepstreamStorageMetricsAutoConfigurationIT {

	private static ApplicationContextRunner runner;

	@BeforeAll
	static void database(TestSchema.Name name) {
		// the metrics auto-configuration is named first on purpose: its own ordering must put it after the registry's
		runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeepstreamStorageMetricsAutoConfiguration.class,
					DeepstreamStorageAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + name.database().url(),
					"deepstream.storage.user=" + name.database().username(),
					"deepstream.storage.password=" + name.database().password(),
					"deepstream.storage.schema=" + name.value(), "deepstream.storage.write-interval=20ms");
	}

	private static ApplicationContextRunner withMeterRegistry() {
		return runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(PostgresRecordStore.class)
			.doesNotHaveBean(DeepstreamStorageMetrics.class)
			.doesNotHaveBean(DeepstreamStoragePoolCustomizer.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(PostgresRecordStore.class)
				.doesNotHaveBean(DeepstreamStorageMetrics.class));
	}

	@Test
	void backsOffWhenTheStorageIsSwitchedOff() {
		withMeterRegistry().withPropertyValues("deepstream.storage.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(MeterRegistry.class)
				.doesNotHaveBean(DeepstreamStorageMetrics.class));
	}

	@Test
	void configuresMetricsAfterTheMeterRegistry() {
		withMeterRegistry().run((context) -> {
			assertThat(context).hasSingleBean(DeepstreamStorageMetrics.class).hasSingleBean(DeepstreamStoragePoolCustomizer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(PostgresRecordStore.class).set("metered/a", 1, Map.of()).join();
			assertThat(registry.get("deepstream.storage.flush").timer().count()).isGreaterThanOrEqualTo(1);
			assertThat(registry.get("hikaricp.connections").tag("pool", "deepstream-storage").gauge()).isNotNull();
		});
	}

	@Test
	void everyObserverHearsAboutEveryFlush() {
		withMeterRegistry().withUserConfiguration(ApplicationObservers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(RecordStoreObserver.class)).hasSize(3);
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			store.set("observed/a", 1, Map.of()).join();
			store.set("observed/b", 1, Map.of()).join();
			ApplicationObservers observers = context.getBean(ApplicationObservers.class);
			assertThat(observers.first).hasSizeGreaterThanOrEqualTo(1).allMatch("observed"::equals);
			assertThat(observers.second).isEqualTo(observers.first);
			assertThat(context.getBean(MeterRegistry.class).get("deepstream.storage.batch.size").summary().totalAmount())
				.isEqualTo(2);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationObservers {

		final List<String> first = new CopyOnWriteArrayList<>();

		final List<String> second = new CopyOnWriteArrayList<>();

		@Bean
		@Order(1)
		RecordStoreObserver firstObserver() {
			return new RecordStoreObserver() {
				@Override
				public void batchCommitted(String table, int writes, long nanos) {
					ApplicationObservers.this.first.add(table);
				}
			};
		}

		@Bean
		@Order(2)
		RecordStoreObserver throwingThenRecordingObserver() {
			return new RecordStoreObserver() {
				@Override
				public void batchCommitted(String table, int writes, long nanos) {
					ApplicationObservers.this.second.add(table);
					throw new IllegalStateException("an observer's bug must not fail the batch");
				}
			};
		}

	}

}
