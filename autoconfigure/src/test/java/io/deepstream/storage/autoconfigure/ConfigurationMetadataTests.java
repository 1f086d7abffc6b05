package io.deepstream.storage.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.deepstream.storage.announce.AnnouncerOptions;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.store.RecordStoreOptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated configuration metadata documents every property, and the defaults it shows are the
 * library's own constants.
 */
class ConfigurationMetadataTests {

	private final Map<String, JsonNode> properties = load();

	private static Map<String, JsonNode> load() {
		try (InputStream in = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			JsonNode root = JsonMapper.builder().build().readTree(in);
			Map<String, JsonNode> byName = new HashMap<>();
			root.get("properties").forEach((property) -> byName.put(property.get("name").asString(), property));
			return byName;
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void everyPropertyHasADescription() {
		assertThat(this.properties).isNotEmpty();
		this.properties.forEach((name, property) -> assertThat(property.has("description"))
			.as("description of %s", name).isTrue());
	}

	@Test
	void shownDefaultsAreTheLibraryConstants() {
		RecordStoreOptions store = RecordStoreOptions.defaults();
		ListenerOptions listener = ListenerOptions.defaults();
		assertThat(text("schema")).isEqualTo(store.schema());
		assertThat(text("default-table")).isEqualTo(store.defaultTable());
		assertThat(duration("write-interval")).isEqualTo(store.writeInterval());
		assertThat(number("max-batch-size")).isEqualTo(store.maxBatchSize());
		assertThat(number("max-buffered-writes")).isEqualTo(store.maxBufferedWrites());
		assertThat(duration("buffer-full-timeout")).isEqualTo(store.bufferFullTimeout());
		assertThat(number("max-retries")).isEqualTo(store.maxRetries());
		assertThat(duration("retry-initial-backoff")).isEqualTo(store.retryInitialBackoff());
		assertThat(duration("retry-max-backoff")).isEqualTo(store.retryMaxBackoff());
		assertThat(number("flush-threads")).isEqualTo(store.flushThreads());
		assertThat(duration("close-timeout")).isEqualTo(store.closeTimeout());
		assertThat(duration("listener.poll-timeout")).isEqualTo(listener.pollTimeout());
		assertThat(duration("listener.validation-interval")).isEqualTo(listener.validationInterval());
		assertThat(duration("listener.validation-timeout")).isEqualTo(listener.validationTimeout());
		assertThat(duration("listener.reconnect-initial-backoff")).isEqualTo(listener.reconnectInitialBackoff());
		assertThat(duration("listener.reconnect-max-backoff")).isEqualTo(listener.reconnectMaxBackoff());
		assertThat(number("max")).isEqualTo(DeepstreamStoragePoolSettings.DEFAULT_MAX_SIZE);
		assertThat(duration("idle-timeout")).isEqualTo(DeepstreamStoragePoolSettings.DEFAULT_IDLE_TIMEOUT);
		assertThat(duration("pool.socket-timeout")).isEqualTo(DeepstreamStoragePoolSettings.DEFAULT_SOCKET_TIMEOUT);
		assertThat(duration("pool.connection-timeout")).isEqualTo(DeepstreamStoragePoolSettings.DEFAULT_CONNECTION_TIMEOUT);
		assertThat(number("pool.prepare-threshold")).isEqualTo(DeepstreamStoragePoolSettings.DEFAULT_PREPARE_THRESHOLD);
		assertThat(duration("server.connect-timeout")).isEqualTo(AnnouncerOptions.DEFAULT_CONNECT_TIMEOUT);
		assertThat(duration("server.request-timeout")).isEqualTo(AnnouncerOptions.DEFAULT_REQUEST_TIMEOUT);
		assertThat(number("server.max-names-per-request")).isEqualTo(AnnouncerOptions.DEFAULT_MAX_NAMES_PER_REQUEST);
		assertThat(number("server.max-pending-names")).isEqualTo(AnnouncerOptions.DEFAULT_MAX_PENDING_NAMES);
		assertThat(duration("server.retry-initial-backoff")).isEqualTo(AnnouncerOptions.DEFAULT_RETRY_INITIAL_BACKOFF);
		assertThat(duration("server.retry-max-backoff")).isEqualTo(AnnouncerOptions.DEFAULT_RETRY_MAX_BACKOFF);
		assertThat(duration("server.give-up-after")).isEqualTo(AnnouncerOptions.DEFAULT_GIVE_UP_AFTER);
		assertThat(duration("server.close-timeout")).isEqualTo(AnnouncerOptions.DEFAULT_CLOSE_TIMEOUT);
		assertThat(number("idle-timeout-millis")).isEqualTo(new DeepstreamStorageProperties().getIdleTimeoutMillis());
	}

	private JsonNode defaultOf(String name) {
		JsonNode property = this.properties.get("deepstream.storage." + name);
		assertThat(property).as(name).isNotNull();
		assertThat(property.has("defaultValue")).as("default of %s", name).isTrue();
		return property.get("defaultValue");
	}

	private String text(String name) {
		return defaultOf(name).asString();
	}

	private long number(String name) {
		return defaultOf(name).asLong();
	}

	private Duration duration(String name) {
		return DurationStyle.detectAndParse(defaultOf(name).asString());
	}

}
