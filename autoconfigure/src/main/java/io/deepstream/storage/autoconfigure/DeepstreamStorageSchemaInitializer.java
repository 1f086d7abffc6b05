package io.deepstream.storage.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;

import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.schema.SchemaInitializer;
import org.springframework.beans.factory.InitializingBean;

/**
 * Creates deepstream's schema and functions once per start, as a database initializer of Spring Boot's
 * (detected by {@link DeepstreamStorageSchemaInitializerDetector}): beans that need the database at
 * start-up ({@code @DependsOnDatabaseInitialization}, {@code JdbcTemplate}s, JPA) are created after it,
 * and Flyway and Liquibase migrations run after it, so they may refer to the schema.
 * <p>
 * First waits (up to {@code deepstream.storage.startup-timeout}) for PostgreSQL to answer, so that an
 * application started together with its database does not fail on the first refused connection.
 */
public class DeepstreamStorageSchemaInitializer implements InitializingBean {

	private final DeepstreamStorageDataSource dataSource;

	private final ListenerConnectionFactory directConnections;

	private final String url;

	private final String schema;

	private final Duration startupTimeout;

	DeepstreamStorageSchemaInitializer(DeepstreamStorageDataSource dataSource,
			ListenerConnectionFactory directConnections, String url, String schema, Duration startupTimeout) {
		this.dataSource = dataSource;
		this.directConnections = directConnections;
		this.url = url;
		this.schema = schema;
		this.startupTimeout = startupTimeout;
	}

	/**
	 * Waits for PostgreSQL, then creates the schema and functions that are missing.
	 * @throws IllegalStateException if PostgreSQL did not answer in time or refused
	 */
	@Override
	public void afterPropertiesSet() {
		DatabaseStartupWaiter.awaitDatabase(this.directConnections, this.url, this.startupTimeout);
		try {
			new SchemaInitializer(this.dataSource.getDataSource()).initialize(this.schema);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Could not create schema '" + this.schema + "' at " + this.url + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * The schema this initializer creates.
	 * @return the schema name
	 */
	public String getSchema() {
		return this.schema;
	}

}
