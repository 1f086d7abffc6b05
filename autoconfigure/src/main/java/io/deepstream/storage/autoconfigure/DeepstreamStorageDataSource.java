package io.deepstream.storage.autoconfigure;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;

/**
 * The connections deepstream's storage uses. Deliberately not a {@link DataSource} bean: the
 * application's own {@code spring.datasource} (and everything that auto-configures on a single
 * DataSource) stays untouched. Holds a pool of its own, closed with the context, or the application's
 * DataSource when {@code deepstream.storage.use-application-data-source} is set.
 */
public final class DeepstreamStorageDataSource implements DisposableBean {

	/** Name of the pool, as it appears in logs and pool metrics. */
	public static final String POOL_NAME = "deepstream-storage";

	private final DataSource dataSource;

	private final @Nullable HikariDataSource ownPool;

	private DeepstreamStorageDataSource(DataSource dataSource, @Nullable HikariDataSource ownPool) {
		this.dataSource = dataSource;
		this.ownPool = ownPool;
	}

	static DeepstreamStorageDataSource ownPool(HikariDataSource pool) {
		return new DeepstreamStorageDataSource(pool, pool);
	}

	static DeepstreamStorageDataSource shared(DataSource applicationDataSource) {
		return new DeepstreamStorageDataSource(applicationDataSource, null);
	}

	/**
	 * The DataSource the store writes through.
	 * @return the pool
	 */
	public DataSource getDataSource() {
		return this.dataSource;
	}

	/**
	 * Whether this is a pool of deepstream's storage's own (rather than the application's DataSource).
	 * @return true for an own pool
	 */
	public boolean isOwnPool() {
		return this.ownPool != null;
	}

	/** Closes the own pool; the application's DataSource is left to the application. */
	@Override
	public void destroy() {
		if (this.ownPool != null) {
			this.ownPool.close();
		}
	}

}
