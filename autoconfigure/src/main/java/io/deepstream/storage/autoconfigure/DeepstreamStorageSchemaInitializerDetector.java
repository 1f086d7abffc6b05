package io.deepstream.storage.autoconfigure;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.boot.sql.init.dependency.DatabaseInitializerDetector;

/**
 * Tells Spring Boot that {@link DeepstreamStorageSchemaInitializer} initialises a database, so that
 * {@code DatabaseInitializationDependencyConfigurer} orders everything that depends on database
 * initialisation after it. Registered in {@code META-INF/spring.factories}.
 */
class DeepstreamStorageSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	/**
	 * Before Flyway's and Liquibase's detectors (order 0 and 1) and the SQL script initializer's, so
	 * that migrations and scripts run after the schema exists and may refer to it (grants, views). The
	 * initializer creates what is missing and replaces only the functions it owns, so what a migration
	 * changes in the schema afterwards stays changed.
	 */
	static final int PRECEDENCE = -100;

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(DeepstreamStorageSchemaInitializer.class);
	}

	@Override
	public int getOrder() {
		return PRECEDENCE;
	}

}
