package io.deepstream.storage.autoconfigure;

import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.test.ThrowawayPostgres;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's pool on a server that hangs: HikariCP checks a connection that has been idle before it
 * hands it out, and on a frozen server that check waits for its own timeout. Getting a connection must
 * still end within what {@link DeepstreamStoragePoolSettings#settleBound} counts for it, or a batch
 * outlasts the bound (HikariCP's default check timeout, 5 s, made a write of {@code HungServerIT} wait
 * a second longer than the bound once). On a throwaway server of its own: it freezes the server.
 */
class PoolOnHungServerIT {

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);

	/** HikariCP hands out a connection unchecked if it was used within the last 500 ms. */
	private static final Duration ALIVE_BYPASS_WINDOW = Duration.ofMillis(500);

	@AutoClose
	private static final ThrowawayPostgres postgres = ThrowawayPostgres.start();

	@Test
	void gettingAnIdleConnectionOfAFrozenServerFailsWithinTheWaitTheSettleBoundCounts() throws Exception {
		DeepstreamStoragePoolSettings settings = DeepstreamStoragePoolSettings.builder()
			.connectionTimeout(CONNECTION_TIMEOUT)
			.socketTimeout(Duration.ofSeconds(2))
			.build();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(postgres.jdbcUrl());
		config.setUsername(postgres.username());
		config.setPassword(postgres.password());
		settings.applyTo(config);
		try (HikariDataSource pool = new HikariDataSource(config)) {
			pool.getConnection().close();
			// Not a wait for a condition: HikariCP checks only connections idle for longer than its window.
			Thread.sleep(ALIVE_BYPASS_WINDOW.plusMillis(200).toMillis());
			postgres.suspendAll();
			long waited;
			try {
				long start = System.nanoTime();
				assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class);
				waited = System.nanoTime() - start;
			}
			finally {
				postgres.resumeAll();
			}
			Duration bound = DeepstreamStoragePoolSettings.connectionWaitBound(CONNECTION_TIMEOUT);
			assertThat(Duration.ofNanos(waited)).isLessThanOrEqualTo(bound.plusMillis(300));
			System.out.printf("PoolOnHungServerIT: getting a connection of the frozen server failed after %d ms"
					+ " (connection timeout %d ms, bound %d ms)%n", waited / 1_000_000, CONNECTION_TIMEOUT.toMillis(),
					bound.toMillis());
		}
	}

}
