package io.deepstream.storage.autoconfigure;

import java.sql.SQLException;

import io.deepstream.storage.listen.ListenerConnectionCheck;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where the listener connects: {@code deepstream.storage.listener.url} (with {@code listener.user} and
 * {@code listener.password}, defaulting to the main ones) when set, otherwise where the pool connects.
 * At start-up it proves that this connection can receive notifications, and fails naming
 * {@code listener.url} when it cannot (a pooler in transaction mode).
 */
final class ListenerConnections {

	private static final String URL_PROPERTY = "deepstream.storage.listener.url";

	private ListenerConnections() {
	}

	static ListenerConnectionFactory of(DeepstreamStorageProperties properties, DeepstreamStorageDataSource dataSource,
			DeepstreamStorageConnectionDetails connectionDetails) {
		DeepstreamStorageProperties.Listener listener = properties.getListener();
		String url = listener.getUrl();
		if (url == null) {
			return DeepstreamStorageAutoConfiguration.directConnections(dataSource, connectionDetails);
		}
		String user = (listener.getUser() != null) ? listener.getUser() : connectionDetails.getUsername();
		@Nullable String password = (listener.getPassword() != null) ? listener.getPassword()
				: connectionDetails.getPassword();
		return ListenerConnectionFactory.of(url, user, password);
	}

	/**
	 * Waits (up to {@code startup-timeout}) for the listener's server when it has a URL of its own, then
	 * runs the {@link ListenerConnectionCheck}.
	 * @throws IllegalStateException naming {@code listener.url} if notifications cannot be received
	 */
	static void requireNotificationsDelivered(DeepstreamStorageProperties properties,
			ListenerConnectionFactory connections, DeepstreamStorageConnectionDetails connectionDetails) {
		String own = properties.getListener().getUrl();
		String url = (own != null) ? own : connectionDetails.getJdbcUrl();
		if (own != null) {
			DatabaseStartupWaiter.awaitDatabase(connections, own, properties.getStartupTimeout(),
					URL_PROPERTY + ", listener.user and listener.password (default: user and password)");
		}
		try {
			ListenerConnectionCheck.requireDelivery(connections, ListenerConnectionCheck.DEFAULT_TIMEOUT);
		}
		catch (ListenerConnectionCheck.NotificationsNotDelivered ex) {
			String where = (own != null) ? URL_PROPERTY + " (" + own + ")"
					: "the listener's connection (" + url + ", from deepstream.storage.url or host; "
							+ URL_PROPERTY + " is not set)";
			throw new IllegalStateException("The notification listener cannot receive notifications through " + where
					+ ": " + ex.getMessage() + ". Point " + URL_PROPERTY + " at the primary PostgreSQL server directly (or "
					+ "through a pooler in session mode) and keep the pool's deepstream.storage.url on the pooler, or switch notifications "
					+ "off (deepstream.storage.notifications.*).", ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("The notification listener could not connect to " + url + " ("
					+ ((own != null) ? URL_PROPERTY : "deepstream.storage.url") + "): " + ex.getMessage(), ex);
		}
	}

}
