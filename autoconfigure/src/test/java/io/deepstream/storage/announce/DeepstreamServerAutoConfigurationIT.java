package io.deepstream.storage.announce;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.autoconfigure.DeepstreamStorageAutoConfiguration;
import io.deepstream.storage.autoconfigure.health.DeepstreamStorageHealthAutoConfiguration;
import io.deepstream.storage.autoconfigure.health.DeepstreamStorageHealthIndicator;
import io.deepstream.storage.autoconfigure.metrics.DeepstreamStorageMetricsAutoConfiguration;
import io.deepstream.storage.event.AnnouncementEventBridge;
import io.deepstream.storage.event.RecordsNotAnnouncedEvent;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code deepstream.storage.server.*} in a Spring application next to a real deepstream server: the
 * announcer is there only with URLs, the store's commits reach the server, names given up on arrive
 * as {@link RecordsNotAnnouncedEvent}s, and the health details show each server.
 */
@ExtendWith(TestSchema.class)
class DeepstreamServerAutoConfigurationIT {

	private static DeepstreamServer server;

	private static ApplicationContextRunner runner;

	@BeforeAll
	static void start(TestSchema.Name schema) {
		server = DeepstreamServer.start(schema.value());
		TestDatabase database = schema.database();
		runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class,
					DeepstreamStorageHealthAutoConfiguration.class, DeepstreamStorageMetricsAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + database.url(), "deepstream.storage.user=" + database.username(),
					"deepstream.storage.password=" + database.password(), "deepstream.storage.schema=" + schema.value(),
					"deepstream.storage.write-interval=20ms");
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void withoutUrlsNothingIsAnnounced() {
		runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(ServerAnnouncer.class)
			.doesNotHaveBean(AnnouncementEventBridge.class));
	}

	@Test
	void theServerChecksTheStoresConditionalWritesOnlyWhenAsked() {
		runner.withPropertyValues("deepstream.storage.server.urls=" + server.apiUrl())
			.run((context) -> assertThat(context).doesNotHaveBean(ServerCheckedWrites.class)
				.getBean(PostgresRecordStore.class).extracting(PostgresRecordStore::conditionalWrites)
				.isNotInstanceOf(ServerCheckedWrites.class));
		runner.withPropertyValues("deepstream.storage.server.urls=" + server.apiUrl(),
				"deepstream.storage.server.check-conditional-writes=true").run((context) -> {
			assertThat(context).hasSingleBean(ServerCheckedWrites.class);
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			assertThat(store.conditionalWrites()).isSameAs(context.getBean(ServerCheckedWrites.class));
			try (DeepstreamTestClient client = new DeepstreamTestClient(server)) {
				client.subscribe("spring/checked");
				client.set("spring/checked", Map.of("n", 1));
				assertThat(store.update("spring/checked", (value) -> Map.of("n", 2)).get(10, TimeUnit.SECONDS).version())
					.isEqualTo(2);
				assertThat(client.head("spring/checked")).isEqualTo(2);
			}
		});
	}

	@Test
	void theStoresCommitsReachTheServerAndTheHealthShowsIt() {
		runner.withPropertyValues("deepstream.storage.server.urls=" + server.apiUrl()).run((context) -> {
			assertThat(context).hasSingleBean(ServerAnnouncer.class).hasSingleBean(AnnouncementEventBridge.class);
			PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
			ServerAnnouncer announcer = context.getBean(ServerAnnouncer.class);
			try (DeepstreamTestClient client = new DeepstreamTestClient(server)) {
				store.set("spring/r1", 1, Map.of("n", 1)).thenCompose((done) -> announcer.announced("spring/r1")).get(10, TimeUnit.SECONDS);
				assertThat(client.snapshot("spring/r1")).isEqualTo(JsonMapper.builder().build().readTree("{\"n\":1}"));
				store.set("spring/r1", 2, Map.of("n", 2)).thenCompose((done) -> announcer.announced("spring/r1")).get(10, TimeUnit.SECONDS);
				assertThat(client.head("spring/r1")).isEqualTo(2);
			}
			Health health = context.getBean(DeepstreamStorageHealthIndicator.class).health(true);
			assertThat(health.getDetails()).extractingByKey("servers").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.extractingByKey(server.apiUrl()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.containsEntry("state", "announcing")
				.containsEntry("namesAnnounced", 2L)
				.containsEntry("namesGivenUp", 0L)
				.containsEntry("pendingNames", 0);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("deepstream.storage.server.names.announced").tag("url", server.apiUrl())
				.functionCounter().count()).isEqualTo(2.0);
			assertThat(registry.get("deepstream.storage.server.requests").tag("url", server.apiUrl())
				.tag("outcome", "success").functionCounter().count()).isEqualTo(2.0);
			assertThat(registry.get("deepstream.storage.server.names.given-up").tag("url", server.apiUrl())
				.functionCounter().count()).isZero();
			assertThat(registry.get("deepstream.storage.server.names.pending").tag("url", server.apiUrl()).gauge().value())
				.isZero();
		});
	}

	@Test
	void namesGivenUpOnArePublishedAsEventsAndShownInTheHealth() throws Exception {
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort();
		}
		String deadUrl = "http://127.0.0.1:" + deadPort + "/api";
		runner.withUserConfiguration(NotAnnouncedListener.class)
			.withPropertyValues("deepstream.storage.server.urls=" + deadUrl, "deepstream.storage.server.give-up-after=300ms",
					"deepstream.storage.server.retry-initial-backoff=50ms", "deepstream.storage.server.retry-max-backoff=100ms",
					"deepstream.storage.server.close-timeout=1s")
			.run((context) -> {
				PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
				store.set("lost/r1", 1, Map.of()).get(10, TimeUnit.SECONDS);
				List<RecordsNotAnnouncedEvent> events = context.getBean(NotAnnouncedListener.class).events;
				await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
				assertThat(events).singleElement().satisfies((event) -> {
					assertThat(event.getRecordNames()).containsExactly("lost/r1");
					assertThat(event.getKind()).isEqualTo(FailureKind.UNREACHABLE);
					assertThat(event.getUrl().toString()).isEqualTo(deadUrl);
				});
				Health health = context.getBean(DeepstreamStorageHealthIndicator.class).health(true);
				assertThat(health.getDetails()).extractingByKey("servers").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.extractingByKey(deadUrl).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
					.containsEntry("state", "failing")
					.containsEntry("namesGivenUp", 1L)
					.hasEntrySatisfying("lastFailure", (failure) -> assertThat(failure.toString()).startsWith("UNREACHABLE"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("deepstream.storage.server.names.given-up").tag("url", deadUrl).functionCounter().count())
					.isEqualTo(1.0);
				assertThat(registry.get("deepstream.storage.server.requests").tag("url", deadUrl).tag("outcome", "failure")
					.functionCounter().count()).isPositive();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class NotAnnouncedListener {

		final List<RecordsNotAnnouncedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(RecordsNotAnnouncedEvent event) {
			this.events.add(event);
		}

		@Bean
		String marker() {
			return "listener";
		}

	}

}
