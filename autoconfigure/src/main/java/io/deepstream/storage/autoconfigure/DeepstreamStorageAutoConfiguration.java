package io.deepstream.storage.autoconfigure;

import java.sql.SQLException;
import java.util.concurrent.ThreadFactory;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.announce.ServerAnnouncer;
import io.deepstream.storage.announce.ServerCheckedWrites;
import io.deepstream.storage.event.AnnouncementEventBridge;
import io.deepstream.storage.event.NotificationEventBridge;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.CompositeRecordStoreObserver;
import io.deepstream.storage.store.ConditionalWrites;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreObserver;
import io.deepstream.storage.store.RecordStoreOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of deepstream's PostgreSQL storage: a pool of its own (never a {@code DataSource}
 * bean, so the application's stays untouched), the schema, the {@link PostgresRecordStore}, and, when
 * any notification is on, the {@link NotificationListener} with a bridge that publishes every change
 * as a Spring application event.
 * <p>
 * Start-up waits (up to {@code deepstream.storage.startup-timeout}) for PostgreSQL, then creates the
 * schema, once, as a database initializer of Spring Boot's ({@link DeepstreamStorageSchemaInitializer}):
 * before the store, and before every bean that depends on database initialisation. Every
 * {@link RecordStoreObserver} bean is told about every flush. A {@link ThreadFactory} bean qualified
 * {@link DeepstreamStorageThreadFactory @DeepstreamStorageThreadFactory} makes the store's and the
 * listener's threads. No {@code @Bean} method starts anything:
 * the lifecycle does. Shutdown follows lifecycle phases: the web server drains, then the store flushes
 * every buffered write, then the listener stops, then the pool closes.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass({ PostgresRecordStore.class, HikariDataSource.class, org.postgresql.Driver.class, JsonMapper.class })
@ConditionalOnBooleanProperty(name = "deepstream.storage.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DeepstreamStorageProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class DeepstreamStorageAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeepstreamStorageConnectionDetails deepstreamStorageConnectionDetails(DeepstreamStorageProperties properties) {
		return new PropertiesDeepstreamStorageConnectionDetails(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	DeepstreamStorageDataSource deepstreamStorageDataSource(DeepstreamStorageProperties properties,
			DeepstreamStorageConnectionDetails connectionDetails, ObjectProvider<DataSource> applicationDataSource,
			ObjectProvider<DeepstreamStoragePoolCustomizer> customizers) {
		if (properties.isUseApplicationDataSource()) {
			DataSource shared = applicationDataSource.getIfUnique();
			if (shared == null) {
				throw new IllegalStateException("deepstream.storage.use-application-data-source is true, "
						+ "but the application has no single DataSource bean");
			}
			return DeepstreamStorageDataSource.shared(shared);
		}
		HikariConfig config = new HikariConfig();
		config.setPoolName(DeepstreamStorageDataSource.POOL_NAME);
		config.setJdbcUrl(connectionDetails.getJdbcUrl());
		config.setUsername(connectionDetails.getUsername());
		config.setPassword(connectionDetails.getPassword());
		properties.toPoolSettings().applyTo(config);
		// Do not fail while constructing the pool: start-up waits for the database, bounded.
		config.setInitializationFailTimeout(-1);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(config));
		return DeepstreamStorageDataSource.ownPool(new HikariDataSource(config));
	}

	@Bean
	@ConditionalOnMissingBean
	DeepstreamStorageSchemaInitializer deepstreamStorageSchemaInitializer(DeepstreamStorageProperties properties,
			DeepstreamStorageDataSource dataSource, DeepstreamStorageConnectionDetails connectionDetails) {
		return new DeepstreamStorageSchemaInitializer(dataSource, directConnections(dataSource, connectionDetails),
				connectionDetails.getJdbcUrl(), properties.getSchema(), properties.getStartupTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	DeepstreamStorageSchema deepstreamStorageSchema(DeepstreamStorageSchemaInitializer initializer) {
		return new DeepstreamStorageSchema(initializer.getSchema());
	}

	@Bean
	@ConditionalOnMissingBean
	PostgresRecordStore deepstreamRecordStore(DeepstreamStorageProperties properties,
			DeepstreamStorageDataSource dataSource, DeepstreamStorageSchema schema, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<RecordStoreObserver> observers, ObjectProvider<ConditionalWrites> conditionalWrites,
			@DeepstreamStorageThreadFactory ObjectProvider<ThreadFactory> threadFactory) {
		// The schema initializer created the schema: the store's start() does not repeat it. Its
		// lifecycle starts it (or its first write, from another bean's initialisation) and stops it,
		// flushing, in its phase.
		DataSource storeDataSource = dataSource.getDataSource();
		JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
		RecordStoreOptions options = properties.toRecordStoreOptions();
		RecordStoreObserver observer = CompositeRecordStoreObserver.of(observers.orderedStream().toList());
		ThreadFactory threads = threadFactory.getIfAvailable();
		PostgresRecordStore store = (threads != null)
				? new PostgresRecordStore(storeDataSource, mapper, options, observer, false, threads)
				: new PostgresRecordStore(storeDataSource, mapper, options, observer, false);
		conditionalWrites.ifUnique(store::setConditionalWrites);
		return store;
	}

	/**
	 * Connections outside any pool, to where the store's pool connects: the listener needs one of its
	 * own, and start-up probes with them. With the application's DataSource they go where that pool
	 * goes, if it can tell.
	 */
	static ListenerConnectionFactory directConnections(DeepstreamStorageDataSource dataSource,
			DeepstreamStorageConnectionDetails connectionDetails) {
		if (!dataSource.isOwnPool()) {
			try {
				if (dataSource.getDataSource().isWrapperFor(HikariDataSource.class)) {
					HikariDataSource hikari = dataSource.getDataSource().unwrap(HikariDataSource.class);
					return ListenerConnectionFactory.of(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
				}
			}
			catch (SQLException ex) {
				// not a Hikari pool after all: use the connection details
			}
		}
		return ListenerConnectionFactory.of(connectionDetails.getJdbcUrl(), connectionDetails.getUsername(),
				connectionDetails.getPassword());
	}

	/**
	 * Announcing the store's writes to running deepstream servers, when {@code server.urls} names any.
	 * The announcer is a {@link RecordStoreObserver} (so the store reports every commit to it) and a
	 * lifecycle that starts before the store and stops after it.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnServerUrlsCondition.class)
	static class ServerAnnouncerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ServerAnnouncer deepstreamServerAnnouncer(DeepstreamStorageProperties properties,
				ObjectProvider<JsonMapper> jsonMapper) {
			return new ServerAnnouncer(properties.getServer().toAnnouncerOptions(properties.getDefaultTable()),
					jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

		/**
		 * With {@code server.check-conditional-writes}, the store's conditional writes go through the
		 * first server's versioned write.
		 */
		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty("deepstream.storage.server.check-conditional-writes")
		ServerCheckedWrites deepstreamServerCheckedWrites(DeepstreamStorageProperties properties,
				ObjectProvider<JsonMapper> jsonMapper) {
			return new ServerCheckedWrites(properties.getServer().toAnnouncerOptions(properties.getDefaultTable()),
					jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

		@Bean
		@ConditionalOnMissingBean
		AnnouncementEventBridge deepstreamAnnouncementEventBridge(ApplicationEventPublisher publisher,
				ServerAnnouncer announcer) {
			return new AnnouncementEventBridge(publisher, announcer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnNotificationsEnabledCondition.class)
	static class ListenerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NotificationListener deepstreamNotificationListener(DeepstreamStorageProperties properties,
				DeepstreamStorageDataSource dataSource, DeepstreamStorageConnectionDetails connectionDetails,
				DeepstreamStorageSchema schema, @DeepstreamStorageThreadFactory ObjectProvider<ThreadFactory> threadFactory) {
			ListenerConnectionFactory connections = ListenerConnections.of(properties, dataSource, connectionDetails);
			ListenerConnections.requireNotificationsDelivered(properties, connections, connectionDetails);
			ThreadFactory threads = threadFactory.getIfAvailable();
			return (threads != null) ? new NotificationListener(connections, properties.toListenerOptions(), threads)
					: new NotificationListener(connections, properties.toListenerOptions());
		}

		@Bean
		@ConditionalOnMissingBean
		NotificationEventBridge deepstreamNotificationEventBridge(ApplicationEventPublisher publisher,
				NotificationListener listener) {
			return new NotificationEventBridge(publisher, listener);
		}

	}

}
