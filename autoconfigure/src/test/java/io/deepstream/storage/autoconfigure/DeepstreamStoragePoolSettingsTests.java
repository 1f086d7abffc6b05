package io.deepstream.storage.autoconfigure;

import java.time.Duration;
import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import io.deepstream.storage.core.InvalidOptionException;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code deepstream.storage.pool.*} and {@code deepstream.storage.listener.url/user/password}: binding,
 * defaults, what reaches the pool and the driver, and the documented settle bound.
 */
class DeepstreamStoragePoolSettingsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void defaultsBoundAHungServerAndSuitPgBouncer() {
		this.runner.run((context) -> {
			DeepstreamStorageProperties properties = context.getBean(DeepstreamStorageProperties.class);
			HikariConfig config = new HikariConfig();
			properties.toPoolSettings().applyTo(config);
			assertThat(config.getConnectionTimeout()).isEqualTo(10_000);
			// HikariCP's check of an idle connection: its default, within the connection timeout
			assertThat(config.getValidationTimeout()).isEqualTo(5_000);
			assertThat(config.getDataSourceProperties()).containsEntry("socketTimeout", "30")
				.containsEntry("prepareThreshold", "0")
				.containsEntry("tcpKeepAlive", "true");
			assertThat(properties.getListener().getUrl()).isNull();
			assertThat(properties.getListener().getUser()).isNull();
			assertThat(properties.getListener().getPassword()).isNull();
		});
	}

	@Test
	void bindsPoolAndListenerConnectionSettings() {
		this.runner
			.withPropertyValues("deepstream.storage.pool.socket-timeout=1500ms", "deepstream.storage.pool.connection-timeout=2s",
					"deepstream.storage.pool.prepare-threshold=5",
					"deepstream.storage.listener.url=jdbc:postgresql://a,b/db?targetServerType=primary",
					"deepstream.storage.listener.user=listener", "deepstream.storage.listener.password=secret")
			.run((context) -> {
				DeepstreamStorageProperties properties = context.getBean(DeepstreamStorageProperties.class);
				HikariConfig config = new HikariConfig();
				properties.toPoolSettings().applyTo(config);
				assertThat(config.getConnectionTimeout()).isEqualTo(2000);
				// no longer than the connection timeout: a check may start just before it runs out
				assertThat(config.getValidationTimeout()).isEqualTo(2000);
				// pgjdbc takes whole seconds: rounded up, never down to "no timeout"
				assertThat(config.getDataSourceProperties()).containsEntry("socketTimeout", "2")
					.containsEntry("prepareThreshold", "5");
				assertThat(properties.getListener().getUrl()).isEqualTo("jdbc:postgresql://a,b/db?targetServerType=primary");
				assertThat(properties.getListener().getUser()).isEqualTo("listener");
				assertThat(properties.getListener().getPassword()).isEqualTo("secret");
			});
	}

	@Test
	void parametersInTheUrlWinOverThePoolSettings() throws Exception {
		Properties settings = new Properties();
		settings.setProperty("socketTimeout", "30");
		settings.setProperty("prepareThreshold", "0");
		Properties effective = Driver.parseURL("jdbc:postgresql://db/app?socketTimeout=90&prepareThreshold=5", settings);
		assertThat(effective).isNotNull();
		assertThat(effective.getProperty("socketTimeout")).isEqualTo("90");
		assertThat(effective.getProperty("prepareThreshold")).isEqualTo("5");
	}

	@Test
	void settleBoundAddsEveryAttemptAndTheBackoffsBetween() {
		// 3 attempts of (1 s connection + 1 s check of an idle connection + 2 s socket), backoffs 100 ms and 200 ms
		assertThat(DeepstreamStoragePoolSettings.settleBound(Duration.ofSeconds(2), Duration.ofSeconds(1), 2,
				Duration.ofMillis(100), Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(12_300));
		// the defaults: 9 attempts of 10 + 5 + 30 s, backoffs 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 5 + 5 s
		assertThat(DeepstreamStoragePoolSettings.settleBound(DeepstreamStoragePoolSettings.DEFAULT_SOCKET_TIMEOUT,
				DeepstreamStoragePoolSettings.DEFAULT_CONNECTION_TIMEOUT, 8, Duration.ofMillis(100), Duration.ofSeconds(5)))
			.isEqualTo(Duration.ofMillis(421_300));
		assertThatIllegalArgumentException().isThrownBy(() -> DeepstreamStoragePoolSettings.settleBound(Duration.ZERO,
				Duration.ofSeconds(1), 2, Duration.ofMillis(100), Duration.ofSeconds(5)));
	}

	@Test
	void eachRuleOfThePoolIsTheSettingsAndNamesTheSetting() {
		assertThatThrownBy(() -> DeepstreamStoragePoolSettings.builder().maxSize(0).build())
			.isInstanceOfSatisfying(InvalidOptionException.class, (ex) -> assertThat(ex.getOption()).isEqualTo("maxSize"))
			.hasMessageContaining("at least 1");
		assertThatThrownBy(() -> DeepstreamStoragePoolSettings.builder().idleTimeout(Duration.ZERO).build())
			.isInstanceOfSatisfying(InvalidOptionException.class, (ex) -> assertThat(ex.getOption()).isEqualTo("idleTimeout"))
			.hasMessageContaining("must be positive");
		assertThatThrownBy(() -> DeepstreamStoragePoolSettings.builder().connectionTimeout(Duration.ofMillis(249)).build())
			.isInstanceOfSatisfying(InvalidOptionException.class,
					(ex) -> assertThat(ex.getOption()).isEqualTo("connectionTimeout"))
			.hasMessageContaining("at least 250ms");
		assertThatThrownBy(() -> DeepstreamStoragePoolSettings.builder().socketTimeout(Duration.ofSeconds(-1)).build())
			.isInstanceOfSatisfying(InvalidOptionException.class, (ex) -> assertThat(ex.getOption()).isEqualTo("socketTimeout"))
			.hasMessageContaining("must not be negative");
		assertThatThrownBy(() -> DeepstreamStoragePoolSettings.builder().prepareThreshold(-1).build())
			.isInstanceOfSatisfying(InvalidOptionException.class,
					(ex) -> assertThat(ex.getOption()).isEqualTo("prepareThreshold"))
			.hasMessageContaining("must not be negative");
		assertThat(DeepstreamStoragePoolSettings.builder().socketTimeout(Duration.ZERO).build().socketTimeout())
			.as("0 waits for the operating system")
			.isZero();
	}

	@Test
	void aRefusedSettingIsReportedAsItsProperty() {
		this.runner.withPropertyValues("deepstream.storage.idle-timeout=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("deepstream.storage.idle-timeout")
				.hasMessageContaining("must be positive");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DeepstreamStorageProperties.class)
	static class PropertiesOnly {

	}

}
