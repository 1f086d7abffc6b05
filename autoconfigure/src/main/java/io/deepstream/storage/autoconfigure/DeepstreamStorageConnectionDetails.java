package io.deepstream.storage.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where deepstream's storage connects. By default built from {@code deepstream.storage.*}; a
 * Testcontainers {@code @ServiceConnection PostgreSQLContainer} or a bean of this type replaces it.
 */
public interface DeepstreamStorageConnectionDetails extends ConnectionDetails {

	/**
	 * The JDBC URL of the database.
	 * @return a {@code jdbc:postgresql:} URL
	 */
	String getJdbcUrl();

	/**
	 * The login user.
	 * @return the user name
	 */
	String getUsername();

	/**
	 * The login password.
	 * @return the password, or null for none
	 */
	@Nullable String getPassword();

}
