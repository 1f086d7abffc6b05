package io.deepstream.storage.autoconfigure;

import java.io.IOException;
import java.time.Duration;

import io.deepstream.storage.core.NotificationSwitches;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.store.WhenBufferFull;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding of {@code deepstream.storage.*}: the reference's config.yml block pasted as it is, the
 * idiomatic Spring forms, the defaults, and a clear start-up failure for invalid values.
 */
class DeepstreamStoragePropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void bindsTheReferenceConfigBlockPastedVerbatim() {
		this.runner.withInitializer((context) -> {
			try {
				new YamlPropertySourceLoader().load("reference", new ClassPathResource("reference-config.yml"))
					.forEach(context.getEnvironment().getPropertySources()::addFirst);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}).run((context) -> {
			DeepstreamStorageProperties properties = context.getBean(DeepstreamStorageProperties.class);
			assertThat(properties.getUser()).isEqualTo("some-user");
			assertThat(properties.getPassword()).isEqualTo("some-password");
			assertThat(properties.determineUrl()).isEqualTo("jdbc:postgresql://db.example:5433/some-database");
			assertThat(properties.getSchema()).isEqualTo("ds2");
			assertThat(properties.getMax()).isEqualTo(7);
			assertThat(properties.getIdleTimeout()).isEqualTo(Duration.ofMillis(31000));
			assertThat(properties.getWriteInterval()).isEqualTo(Duration.ofMillis(250));
			assertThat(properties.getDefaultTable()).isEqualTo("misc");
			assertThat(properties.isUseJsonb()).isTrue();
			assertThat(properties.getRole()).isEqualTo("owner-role");
			assertThat(properties.getNotifications().toSwitches())
				.isEqualTo(new NotificationSwitches(false, true, true, false, true));
			RecordStoreOptions options = properties.toRecordStoreOptions();
			assertThat(options.schema()).isEqualTo("ds2");
			assertThat(options.useJsonb()).isTrue();
			assertThat(options.notifications().update()).isFalse();
		});
	}

	@Test
	void bindsTheIdiomaticSpringForms() {
		this.runner
			.withPropertyValues("deepstream.storage.url=jdbc:postgresql://elsewhere/app", "deepstream.storage.write-interval=1s",
					"deepstream.storage.idle-timeout=45s", "deepstream.storage.notifications.create-table=false",
					"deepstream.storage.notifications.update=false", "deepstream.storage.when-buffer-full=fail",
					"deepstream.storage.max-batch-size=100", "deepstream.storage.max-buffered-writes=1000",
					"deepstream.storage.listener.poll-timeout=250ms", "deepstream.storage.version-guard=true",
					"deepstream.storage.close-timeout=5s")
			.run((context) -> {
				DeepstreamStorageProperties properties = context.getBean(DeepstreamStorageProperties.class);
				assertThat(properties.determineUrl()).isEqualTo("jdbc:postgresql://elsewhere/app");
				assertThat(properties.getWriteInterval()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.getIdleTimeout()).isEqualTo(Duration.ofSeconds(45));
				assertThat(properties.getNotifications().toSwitches())
					.isEqualTo(new NotificationSwitches(false, true, true, false, true));
				RecordStoreOptions options = properties.toRecordStoreOptions();
				assertThat(options.whenBufferFull()).isEqualTo(WhenBufferFull.FAIL);
				assertThat(options.maxBatchSize()).isEqualTo(100);
				assertThat(options.maxBufferedWrites()).isEqualTo(1000);
				assertThat(options.versionGuard()).isTrue();
				assertThat(options.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.toListenerOptions().pollTimeout()).isEqualTo(Duration.ofMillis(250));
			});
	}

	@Test
	void defaultsComeFromTheLibrariesOwnConstants() {
		this.runner.run((context) -> {
			DeepstreamStorageProperties properties = context.getBean(DeepstreamStorageProperties.class);
			assertThat(properties.toRecordStoreOptions()).isEqualTo(RecordStoreOptions.defaults());
			assertThat(properties.toListenerOptions()).isEqualTo(ListenerOptions.defaults());
			assertThat(properties.determineUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
			assertThat(properties.getMax()).isEqualTo(10);
			assertThat(properties.getIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void invalidValuesStopStartUpNamingThePropertyAndTheRule() {
		assertInvalid("deepstream.storage.write-interval=-5", "deepstream.storage.write-interval", "must be positive");
		assertInvalid("deepstream.storage.port=70000", "deepstream.storage.port", "between 1 and 65535");
		assertInvalid("deepstream.storage.schema=pg_nope", "deepstream.storage.schema", "pg_");
		assertInvalid("deepstream.storage.schema=" + "s".repeat(64), "deepstream.storage.schema", "at most 63");
		assertInvalid("deepstream.storage.default-table=a:b", "deepstream.storage.default-table", "':'");
		assertInvalid("deepstream.storage.max=0", "deepstream.storage.max", "at least 1");
		assertInvalid("deepstream.storage.max-buffered-writes=10", "deepstream.storage.max-buffered-writes",
				"at least max-batch-size");
		assertInvalid("deepstream.storage.url=jdbc:mysql://x/y", "deepstream.storage.url", "jdbc:postgresql:");
		assertInvalid("deepstream.storage.listener.validation-timeout=0s",
				"deepstream.storage.listener.validation-timeout", "must be positive");
		assertInvalid("deepstream.storage.close-timeout=0s", "deepstream.storage.close-timeout", "must be positive");
	}

	@Test
	void invalidPoolAndListenerConnectionValuesStopStartUpNamingTheProperty() {
		assertInvalid("deepstream.storage.pool.socket-timeout=-1s", "deepstream.storage.pool.socket-timeout",
				"must not be negative");
		assertInvalid("deepstream.storage.pool.connection-timeout=100ms", "deepstream.storage.pool.connection-timeout",
				"at least 250ms");
		assertInvalid("deepstream.storage.pool.prepare-threshold=-1", "deepstream.storage.pool.prepare-threshold",
				"must not be negative");
		assertInvalid("deepstream.storage.listener.url=jdbc:mysql://x/y", "deepstream.storage.listener.url",
				"jdbc:postgresql:");
	}

	@Test
	void rulesOfTheOptionsStopStartUpNamingTheProperty() {
		// below the default reconnect-initial-backoff (100ms): refused by the listener's options
		assertInvalid("deepstream.storage.listener.reconnect-max-backoff=50ms",
				"deepstream.storage.listener.reconnect-max-backoff", "at least listener.reconnect-initial-backoff");
		// 0 ms for JDBC
		assertInvalid("deepstream.storage.listener.poll-timeout=500us", "deepstream.storage.listener.poll-timeout",
				"at least 1 ms");
		assertInvalid("deepstream.storage.role=", "deepstream.storage.role", "Invalid role name");
		assertInvalid("deepstream.storage.server.urls=http://a/api,http://a/api", "deepstream.storage.server.urls",
				"twice");
	}

	@Test
	void bindsTheDeepstreamServersToAnnounceTo() {
		this.runner
			.withPropertyValues("deepstream.storage.server.urls=http://ds-1:6020/api, https://ds-2/api",
					"deepstream.storage.server.auth-data.username=storage", "deepstream.storage.server.auth-data.password=secret",
					"deepstream.storage.server.give-up-after=30s", "deepstream.storage.server.max-names-per-request=200")
			.run((context) -> {
				DeepstreamStorageProperties.Server server = context.getBean(DeepstreamStorageProperties.class).getServer();
				var options = server.toAnnouncerOptions("default");
				assertThat(options.urls()).extracting(Object::toString).containsExactly("http://ds-1:6020/api", "https://ds-2/api");
				assertThat(options.authData()).containsEntry("username", "storage").containsEntry("password", "secret");
				assertThat(options.token()).isNull();
				assertThat(options.giveUpAfter()).isEqualTo(Duration.ofSeconds(30));
				assertThat(options.maxNamesPerRequest()).isEqualTo(200);
			});
	}

	@Test
	void invalidServerValuesStopStartUpNamingTheProperty() {
		assertInvalid("deepstream.storage.server.urls=ws://localhost:6020/deepstream", "deepstream.storage.server.urls[0]",
				"http or https");
		this.runner.withPropertyValues("deepstream.storage.server.urls[0]=http://a/api", "deepstream.storage.server.urls[1]=")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("deepstream.storage.server.urls[1]")
				.hasMessageContaining("must not be empty"));
		this.runner.withPropertyValues("deepstream.storage.server.urls=http://a/api", "deepstream.storage.server.token=t",
				"deepstream.storage.server.auth-data.username=u")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("deepstream.storage.server.token")
				.hasMessageContaining("auth-data"));
		this.runner.withPropertyValues("deepstream.storage.server.urls=http://a/api",
				"deepstream.storage.server.retry-max-backoff=10ms")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("deepstream.storage.server.retry-max-backoff")
				.hasMessageContaining("retry-initial-backoff"));
		assertInvalid("deepstream.storage.server.check-conditional-writes=true",
				"deepstream.storage.server.check-conditional-writes", "needs a deepstream server in server.urls");
	}

	private void assertInvalid(String property, String name, String rule) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining(name)
				.hasMessageContaining(rule);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DeepstreamStorageProperties.class)
	static class PropertiesOnly {

	}

}
