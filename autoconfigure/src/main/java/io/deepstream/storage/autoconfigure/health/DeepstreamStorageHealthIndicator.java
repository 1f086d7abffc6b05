package io.deepstream.storage.autoconfigure.health;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.deepstream.storage.announce.EndpointState;
import io.deepstream.storage.announce.ServerAnnouncer;
import io.deepstream.storage.listen.ListenerState;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.StoreStatistics;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of deepstream's storage, under the name {@code deepstreamStorage}: DOWN when PostgreSQL does
 * not answer, when the listener has lost its connection (changes are not being published), or when
 * the write buffer is nearly full (PostgreSQL cannot keep up; writes are about to be refused). The
 * {@code reason} detail says which. With {@code server.urls}, the {@code servers} detail shows each
 * deepstream server's announcements (a server that cannot be told does not make this storage DOWN:
 * writes still commit; it shows as {@code failing} with the kind of failure, and names given up on
 * are counted).
 */
public class DeepstreamStorageHealthIndicator extends AbstractHealthIndicator {

	/** Share of maxBufferedWrites at which the backlog counts as a problem. */
	static final double BACKLOG_LIMIT = 0.9;

	private final PostgresRecordStore store;

	private final @Nullable NotificationListener listener;

	private final @Nullable ServerAnnouncer announcer;

	public DeepstreamStorageHealthIndicator(PostgresRecordStore store, @Nullable NotificationListener listener) {
		this(store, listener, null);
	}

	public DeepstreamStorageHealthIndicator(PostgresRecordStore store, @Nullable NotificationListener listener,
			@Nullable ServerAnnouncer announcer) {
		super("deepstream storage health check failed");
		this.store = store;
		this.listener = listener;
		this.announcer = announcer;
	}

	private static Map<String, Map<String, Object>> servers(ServerAnnouncer announcer) {
		Map<String, Map<String, Object>> servers = new LinkedHashMap<>();
		for (EndpointState state : announcer.state()) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("state", state.failing() ? "failing" : "announcing");
			details.put("pendingNames", state.pendingNames());
			details.put("namesAnnounced", state.namesAnnounced());
			details.put("namesGivenUp", state.namesGivenUp());
			if (state.lastFailure() != null) {
				details.put("lastFailure", state.lastFailure() + ": " + state.lastFailureDetail());
			}
			if (state.lastSuccess() != null) {
				details.put("lastSuccess", state.lastSuccess().toString());
			}
			servers.put(state.url().toString(), details);
		}
		return servers;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		builder.up();
		String reason = null;
		DataSource dataSource = this.store.dataSource();
		try (Connection connection = dataSource.getConnection()) {
			boolean valid = connection.isValid(2);
			builder.withDetail("database", valid ? "reachable" : "not answering");
			if (!valid) {
				reason = "PostgreSQL does not answer";
			}
		}
		catch (Exception ex) {
			builder.withDetail("database", "unreachable: " + ex.getMessage());
			reason = "PostgreSQL is unreachable";
		}
		StoreStatistics statistics = this.store.statistics();
		int buffered = statistics.buffered();
		int limit = this.store.options().maxBufferedWrites();
		builder.withDetail("schema", this.store.options().schema())
			.withDetail("bufferedWrites", buffered)
			.withDetail("maxBufferedWrites", limit)
			.withDetail("failedWrites", statistics.writesFailed())
			.withDetail("retries", statistics.retries());
		if (reason == null && buffered >= limit * BACKLOG_LIMIT) {
			reason = "write backlog at " + buffered + " of " + limit + ": PostgreSQL is not keeping up";
		}
		if (this.listener != null) {
			ListenerState state = this.listener.state();
			builder.withDetail("listener", state.connected() ? "connected" : "disconnected")
				.withDetail("channels", state.channels())
				.withDetail("reconnects", state.reconnects())
				.withDetail("notificationsReceived", state.notificationsReceived());
			if (state.lastNotification() != null) {
				builder.withDetail("lastNotification", state.lastNotification().toString());
			}
			if (reason == null && !state.running()) {
				reason = "the notification listener is not running (stopped, or its thread died of an error: see the log); "
						+ "changes are not published";
			}
			if (reason == null && !state.connected()) {
				reason = "the notification listener is disconnected and reconnecting; changes are not published";
			}
		}
		if (this.announcer != null) {
			builder.withDetail("servers", servers(this.announcer));
		}
		if (reason != null) {
			builder.down().withDetail("reason", reason);
		}
	}

}
