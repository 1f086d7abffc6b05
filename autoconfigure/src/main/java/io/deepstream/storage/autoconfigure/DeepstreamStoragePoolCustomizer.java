package io.deepstream.storage.autoconfigure;

import com.zaxxer.hikari.HikariConfig;

/**
 * Customises the connection pool of deepstream's storage before it starts, for settings that have no
 * {@code deepstream.storage} property (SSL, driver properties, metrics).
 */
@FunctionalInterface
public interface DeepstreamStoragePoolCustomizer {

	/**
	 * Customises the pool configuration.
	 * @param config the configuration, already filled from the properties
	 */
	void customize(HikariConfig config);

}
