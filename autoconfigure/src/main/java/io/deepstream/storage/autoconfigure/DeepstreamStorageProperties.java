package io.deepstream.storage.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.deepstream.storage.announce.AnnouncerOptions;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.NotificationSwitches;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.store.WhenBufferFull;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration of deepstream's PostgreSQL storage. The {@code storage.options} block of a deepstream
 * server's {@code config.yml} can be pasted under {@code deepstream.storage} as it is; the
 * idiomatic Spring forms ({@code write-interval: 200ms}) work too.
 */
@ConfigurationProperties("deepstream.storage")
public class DeepstreamStorageProperties implements InitializingBean {

	/**
	 * Whether to auto-configure deepstream's PostgreSQL storage.
	 */
	private boolean enabled = true;

	/**
	 * JDBC URL of the database, such as jdbc:postgresql://db:5432/app. When set, host, port and
	 * database are ignored.
	 */
	private @Nullable String url;

	/**
	 * Host of the PostgreSQL server.
	 */
	private String host = "localhost";

	/**
	 * Port of the PostgreSQL server.
	 */
	private int port = 5432;

	/**
	 * Name of the database.
	 */
	private String database = "postgres";

	/**
	 * Login user of the database.
	 */
	private String user = "postgres";

	/**
	 * Login password of the database.
	 */
	private @Nullable String password;

	/**
	 * Schema holding the record tables; created if it does not exist.
	 */
	private String schema = Identifiers.DEFAULT_SCHEMA;

	/**
	 * Table for record names without a '/'.
	 */
	private String defaultTable = RecordStoreOptions.DEFAULT_TABLE;

	/**
	 * Maximum number of pooled connections (the reference's 'max').
	 */
	private int max = DeepstreamStoragePoolSettings.DEFAULT_MAX_SIZE;

	/**
	 * How long a pooled connection may sit idle before it is closed. A plain number is milliseconds.
	 */
	@DurationUnit(ChronoUnit.MILLIS)
	private Duration idleTimeout = DeepstreamStoragePoolSettings.DEFAULT_IDLE_TIMEOUT;

	/**
	 * How long writes are buffered before they are flushed. A plain number is milliseconds, as in
	 * deepstream's config.yml.
	 */
	@DurationUnit(ChronoUnit.MILLIS)
	private Duration writeInterval = RecordStoreOptions.DEFAULT_WRITE_INTERVAL;

	/**
	 * Whether new tables store values as jsonb rather than text.
	 */
	private boolean useJsonb;

	/**
	 * Role that owns new tables. Defaults to the login user.
	 */
	private @Nullable String role;

	/**
	 * Most writes to one table in one statement; a table with a full batch is flushed at once.
	 */
	private int maxBatchSize = RecordStoreOptions.DEFAULT_MAX_BATCH_SIZE;

	/**
	 * Most writes accepted and not yet committed, over all tables. Bounds memory when PostgreSQL is
	 * slower than the writers.
	 */
	private int maxBufferedWrites = RecordStoreOptions.DEFAULT_MAX_BUFFERED_WRITES;

	/**
	 * What a write does when the buffer is full: 'block' (wait up to buffer-full-timeout) or 'fail'
	 * (throw at once).
	 */
	private WhenBufferFull whenBufferFull = WhenBufferFull.BLOCK;

	/**
	 * How long a write waits for room in a full buffer before it fails.
	 */
	private Duration bufferFullTimeout = RecordStoreOptions.DEFAULT_BUFFER_FULL_TIMEOUT;

	/**
	 * How often a batch is retried after a transient failure (lost connection, server restarting,
	 * serialization failure) before its writes fail.
	 */
	private int maxRetries = RecordStoreOptions.DEFAULT_MAX_RETRIES;

	/**
	 * Pause before the first retry; doubled for each further retry.
	 */
	private Duration retryInitialBackoff = RecordStoreOptions.DEFAULT_RETRY_INITIAL_BACKOFF;

	/**
	 * Longest pause between retries.
	 */
	private Duration retryMaxBackoff = RecordStoreOptions.DEFAULT_RETRY_MAX_BACKOFF;

	/**
	 * How many batches (of different tables) are written at once.
	 */
	private int flushThreads = RecordStoreOptions.DEFAULT_FLUSH_THREADS;

	/**
	 * Whether a write whose version is lower than the stored one is ignored, so that a record's version
	 * never goes backwards when writers race. Writes of version 0 (deepstream's record creation and
	 * hot-path writes) always apply their value and keep the higher stored version. Off by default, as
	 * in the reference, where the last write wins.
	 */
	private boolean versionGuard;

	/**
	 * How long closing the store (at shutdown) waits for the buffered writes to commit, retries
	 * included. Writes still not committed then fail visibly.
	 */
	private Duration closeTimeout = RecordStoreOptions.DEFAULT_CLOSE_TIMEOUT;

	/**
	 * Whether the store uses the application's own DataSource instead of a pool of its own.
	 */
	private boolean useApplicationDataSource;

	/**
	 * How long start-up waits for PostgreSQL to answer before it fails.
	 */
	private Duration startupTimeout = Duration.ofSeconds(30);

	/**
	 * Which notifications are sent and published, as in deepstream's config.yml.
	 */
	private final Notifications notifications = new Notifications();

	/**
	 * The listener that turns PostgreSQL notifications into application events.
	 */
	private final Listener listener = new Listener();

	/**
	 * Timeouts and driver settings of the store's own connection pool.
	 */
	private final Pool pool = new Pool();

	/**
	 * Running deepstream servers to tell about this store's writes (record notify over their HTTP API).
	 */
	private final Server server = new Server();

	@Override
	public void afterPropertiesSet() {
		validate();
	}

	/**
	 * Checks every value, naming the property and the rule it breaks. The values that become options of
	 * the pool, the store, the listener and the announcer are checked by building those options, whose
	 * rules they are; the rest (the connection) here.
	 * @throws InvalidConfigurationPropertyValueException for the first invalid value
	 */
	public void validate() {
		check("port", this.port, this.port >= 1 && this.port <= 65535, "must be between 1 and 65535");
		toPoolSettings();
		positive("startup-timeout", this.startupTimeout);
		if (this.listener.url != null && !this.listener.url.startsWith("jdbc:postgresql:")) {
			throw invalid("listener.url", this.listener.url, "must be a PostgreSQL JDBC URL starting with 'jdbc:postgresql:'");
		}
		toRecordStoreOptions();
		toListenerOptions();
		if (this.server.isEnabled()) {
			this.server.toAnnouncerOptions(this.defaultTable);
		}
		check("server.check-conditional-writes", this.server.checkConditionalWrites,
				!this.server.checkConditionalWrites || this.server.isEnabled(),
				"needs a deepstream server in server.urls to check them");
		if (this.url != null && !this.url.startsWith("jdbc:postgresql:")) {
			throw invalid("url", this.url, "must be a PostgreSQL JDBC URL starting with 'jdbc:postgresql:'");
		}
	}

	static void check(String name, Object value, boolean valid, String rule) {
		if (!valid) {
			throw invalid(name, value, rule);
		}
	}

	private static void positive(String name, Duration value) {
		check(name, value, !value.isNegative() && !value.isZero(), "must be positive");
	}

	static InvalidConfigurationPropertyValueException invalid(String name, Object value, String rule) {
		return new InvalidConfigurationPropertyValueException(OptionProperties.PREFIX + name, value, rule);
	}

	/**
	 * The JDBC URL, from {@code url} or from host, port and database.
	 * @return the JDBC URL
	 */
	public String determineUrl() {
		return (this.url != null) ? this.url : "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	/**
	 * The settings of the store's own pool these properties describe: {@code max}, {@code idle-timeout}
	 * and the {@code pool.*} properties of the same names.
	 * @return the settings
	 * @throws InvalidConfigurationPropertyValueException naming the property of a refused setting
	 */
	public DeepstreamStoragePoolSettings toPoolSettings() {
		return OptionProperties.build(() -> {
			DeepstreamStoragePoolSettings.Builder builder = DeepstreamStoragePoolSettings.builder();
			PropertyMapper map = PropertyMapper.get();
			map.from(this.max).to(builder::maxSize);
			map.from(this.idleTimeout).to(builder::idleTimeout);
			map.from(this.pool.connectionTimeout).to(builder::connectionTimeout);
			map.from(this.pool.socketTimeout).to(builder::socketTimeout);
			map.from(this.pool.prepareThreshold).to(builder::prepareThreshold);
			return builder.build();
		}, (option) -> switch (option) {
			case "maxSize" -> "max";
			case "idleTimeout" -> OptionProperties.inGroup("", option);
			default -> OptionProperties.inGroup("pool.", option);
		});
	}

	/**
	 * The record store options these properties describe. Each option is set by the property of the
	 * same name.
	 * @return the options
	 * @throws InvalidConfigurationPropertyValueException naming the property of an option the store refuses
	 */
	public RecordStoreOptions toRecordStoreOptions() {
		return OptionProperties.build(() -> {
			RecordStoreOptions.Builder builder = RecordStoreOptions.builder();
			PropertyMapper map = PropertyMapper.get();
			map.from(this.schema).to(builder::schema);
			map.from(this.defaultTable).to(builder::defaultTable);
			map.from(this.writeInterval).to(builder::writeInterval);
			map.from(this.useJsonb).to(builder::useJsonb);
			map.from(this.role).to(builder::role);
			map.from(this.notifications::toSwitches).to(builder::notifications);
			map.from(this.maxBatchSize).to(builder::maxBatchSize);
			map.from(this.maxBufferedWrites).to(builder::maxBufferedWrites);
			map.from(this.whenBufferFull).to(builder::whenBufferFull);
			map.from(this.bufferFullTimeout).to(builder::bufferFullTimeout);
			map.from(this.maxRetries).to(builder::maxRetries);
			map.from(this.retryInitialBackoff).to(builder::retryInitialBackoff);
			map.from(this.retryMaxBackoff).to(builder::retryMaxBackoff);
			map.from(this.flushThreads).to(builder::flushThreads);
			map.from(this.versionGuard).to(builder::versionGuard);
			map.from(this.closeTimeout).to(builder::closeTimeout);
			return builder.build();
		}, (option) -> OptionProperties.inGroup("", option));
	}

	/**
	 * The listener options these properties describe: the schema, the notifications, and the
	 * {@code listener.*} properties of the same names.
	 * @return the options
	 * @throws InvalidConfigurationPropertyValueException naming the property of an option the listener
	 * refuses
	 */
	public ListenerOptions toListenerOptions() {
		return OptionProperties.build(() -> {
			ListenerOptions.Builder builder = ListenerOptions.builder();
			PropertyMapper map = PropertyMapper.get();
			map.from(this.schema).to(builder::schema);
			map.from(this.notifications::toSwitches).to(builder::notifications);
			map.from(this.listener.pollTimeout).to(builder::pollTimeout);
			map.from(this.listener.validationInterval).to(builder::validationInterval);
			map.from(this.listener.validationTimeout).to(builder::validationTimeout);
			map.from(this.listener.reconnectInitialBackoff).to(builder::reconnectInitialBackoff);
			map.from(this.listener.reconnectMaxBackoff).to(builder::reconnectMaxBackoff);
			return builder.build();
		}, (option) -> option.equals("schema") || option.equals("notifications") ? option
				: OptionProperties.inGroup("listener.", option));
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public String getDatabase() {
		return this.database;
	}

	public void setDatabase(String database) {
		this.database = database;
	}

	public String getUser() {
		return this.user;
	}

	public void setUser(String user) {
		this.user = user;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public String getSchema() {
		return this.schema;
	}

	public void setSchema(String schema) {
		this.schema = schema;
	}

	public String getDefaultTable() {
		return this.defaultTable;
	}

	public void setDefaultTable(String defaultTable) {
		this.defaultTable = defaultTable;
	}

	public int getMax() {
		return this.max;
	}

	public void setMax(int max) {
		this.max = max;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	/**
	 * How long a pooled connection may sit idle, in milliseconds: the reference's spelling of
	 * idle-timeout.
	 * @return the idle timeout in milliseconds
	 */
	public long getIdleTimeoutMillis() {
		return this.idleTimeout.toMillis();
	}

	public void setIdleTimeoutMillis(long idleTimeoutMillis) {
		this.idleTimeout = Duration.ofMillis(idleTimeoutMillis);
	}

	public Duration getWriteInterval() {
		return this.writeInterval;
	}

	public void setWriteInterval(Duration writeInterval) {
		this.writeInterval = writeInterval;
	}

	public boolean isUseJsonb() {
		return this.useJsonb;
	}

	public void setUseJsonb(boolean useJsonb) {
		this.useJsonb = useJsonb;
	}

	public @Nullable String getRole() {
		return this.role;
	}

	public void setRole(@Nullable String role) {
		this.role = role;
	}

	public int getMaxBatchSize() {
		return this.maxBatchSize;
	}

	public void setMaxBatchSize(int maxBatchSize) {
		this.maxBatchSize = maxBatchSize;
	}

	public int getMaxBufferedWrites() {
		return this.maxBufferedWrites;
	}

	public void setMaxBufferedWrites(int maxBufferedWrites) {
		this.maxBufferedWrites = maxBufferedWrites;
	}

	public WhenBufferFull getWhenBufferFull() {
		return this.whenBufferFull;
	}

	public void setWhenBufferFull(WhenBufferFull whenBufferFull) {
		this.whenBufferFull = whenBufferFull;
	}

	public Duration getBufferFullTimeout() {
		return this.bufferFullTimeout;
	}

	public void setBufferFullTimeout(Duration bufferFullTimeout) {
		this.bufferFullTimeout = bufferFullTimeout;
	}

	public int getMaxRetries() {
		return this.maxRetries;
	}

	public void setMaxRetries(int maxRetries) {
		this.maxRetries = maxRetries;
	}

	public Duration getRetryInitialBackoff() {
		return this.retryInitialBackoff;
	}

	public void setRetryInitialBackoff(Duration retryInitialBackoff) {
		this.retryInitialBackoff = retryInitialBackoff;
	}

	public Duration getRetryMaxBackoff() {
		return this.retryMaxBackoff;
	}

	public void setRetryMaxBackoff(Duration retryMaxBackoff) {
		this.retryMaxBackoff = retryMaxBackoff;
	}

	public int getFlushThreads() {
		return this.flushThreads;
	}

	public void setFlushThreads(int flushThreads) {
		this.flushThreads = flushThreads;
	}

	public boolean isVersionGuard() {
		return this.versionGuard;
	}

	public void setVersionGuard(boolean versionGuard) {
		this.versionGuard = versionGuard;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

	public boolean isUseApplicationDataSource() {
		return this.useApplicationDataSource;
	}

	public void setUseApplicationDataSource(boolean useApplicationDataSource) {
		this.useApplicationDataSource = useApplicationDataSource;
	}

	public Duration getStartupTimeout() {
		return this.startupTimeout;
	}

	public void setStartupTimeout(Duration startupTimeout) {
		this.startupTimeout = startupTimeout;
	}

	public Notifications getNotifications() {
		return this.notifications;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Server getServer() {
		return this.server;
	}

	/**
	 * The reference's {@code notifications} switches. Both {@code CREATE_TABLE} (as in deepstream's
	 * config.yml) and {@code create-table} bind.
	 */
	public static class Notifications {

		/**
		 * Whether CREATE_TABLE is sent when a table is created.
		 */
		private boolean createTable = true;

		/**
		 * Whether DESTROY_TABLE is sent when a table is dropped.
		 */
		private boolean destroyTable = true;

		/**
		 * Whether INSERT is sent for each inserted record.
		 */
		private boolean insert = true;

		/**
		 * Whether UPDATE is sent for each updated record.
		 */
		private boolean update = true;

		/**
		 * Whether DELETE is sent for each deleted record.
		 */
		private boolean delete = true;

		public NotificationSwitches toSwitches() {
			return new NotificationSwitches(this.createTable, this.destroyTable, this.insert, this.update, this.delete);
		}

		public boolean isCreateTable() {
			return this.createTable;
		}

		public void setCreateTable(boolean createTable) {
			this.createTable = createTable;
		}

		public boolean isDestroyTable() {
			return this.destroyTable;
		}

		public void setDestroyTable(boolean destroyTable) {
			this.destroyTable = destroyTable;
		}

		public boolean isInsert() {
			return this.insert;
		}

		public void setInsert(boolean insert) {
			this.insert = insert;
		}

		public boolean isUpdate() {
			return this.update;
		}

		public void setUpdate(boolean update) {
			this.update = update;
		}

		public boolean isDelete() {
			return this.delete;
		}

		public void setDelete(boolean delete) {
			this.delete = delete;
		}

	}

	/**
	 * Settings of the notification listener.
	 */
	public static class Listener {

		/**
		 * JDBC URL the listener connects to, when it must differ from the pool's (url or host): a direct
		 * connection to PostgreSQL while the pool goes through a pooler such as PgBouncer in transaction
		 * mode, which cannot carry LISTEN. May name several hosts (jdbc:postgresql://a,b/db?targetServerType=primary).
		 * Defaults to where the pool connects.
		 */
		private @Nullable String url;

		/**
		 * Login user of the listener's connection. Defaults to the main user.
		 */
		private @Nullable String user;

		/**
		 * Login password of the listener's connection. Defaults to the main password.
		 */
		private @Nullable String password;

		/**
		 * Longest single wait for notifications; also bounds how fast subscription changes and stop
		 * take effect.
		 */
		private Duration pollTimeout = ListenerOptions.DEFAULT_POLL_TIMEOUT;

		/**
		 * After this long without a notification the connection is checked, so that a dead or half-open
		 * connection is noticed within validation-interval + validation-timeout + poll-timeout.
		 */
		private Duration validationInterval = ListenerOptions.DEFAULT_VALIDATION_INTERVAL;

		/**
		 * How long the connection check may take before the connection counts as dead.
		 */
		private Duration validationTimeout = ListenerOptions.DEFAULT_VALIDATION_TIMEOUT;

		/**
		 * Pause before the first reconnect attempt; doubled for each failed attempt.
		 */
		private Duration reconnectInitialBackoff = ListenerOptions.DEFAULT_RECONNECT_INITIAL_BACKOFF;

		/**
		 * Longest pause between reconnect attempts.
		 */
		private Duration reconnectMaxBackoff = ListenerOptions.DEFAULT_RECONNECT_MAX_BACKOFF;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUser() {
			return this.user;
		}

		public void setUser(@Nullable String user) {
			this.user = user;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public Duration getPollTimeout() {
			return this.pollTimeout;
		}

		public void setPollTimeout(Duration pollTimeout) {
			this.pollTimeout = pollTimeout;
		}

		public Duration getValidationInterval() {
			return this.validationInterval;
		}

		public void setValidationInterval(Duration validationInterval) {
			this.validationInterval = validationInterval;
		}

		public Duration getValidationTimeout() {
			return this.validationTimeout;
		}

		public void setValidationTimeout(Duration validationTimeout) {
			this.validationTimeout = validationTimeout;
		}

		public Duration getReconnectInitialBackoff() {
			return this.reconnectInitialBackoff;
		}

		public void setReconnectInitialBackoff(Duration reconnectInitialBackoff) {
			this.reconnectInitialBackoff = reconnectInitialBackoff;
		}

		public Duration getReconnectMaxBackoff() {
			return this.reconnectMaxBackoff;
		}

		public void setReconnectMaxBackoff(Duration reconnectMaxBackoff) {
			this.reconnectMaxBackoff = reconnectMaxBackoff;
		}

	}


	/**
	 * Settings of the store's own connection pool (not used with use-application-data-source).
	 */
	public static class Pool {

		/**
		 * Longest wait for the server's answer on a pooled connection (pgjdbc's socketTimeout, in whole
		 * seconds, rounded up): a statement to a server that hangs fails after this long, and its batch
		 * is retried on a new connection. Must exceed the longest statement the store runs. 0 waits for
		 * ever (for the operating system to give up on the connection).
		 */
		private Duration socketTimeout = DeepstreamStoragePoolSettings.DEFAULT_SOCKET_TIMEOUT;

		/**
		 * Longest wait for a connection from the pool (HikariCP's connectionTimeout), a new one included;
		 * a batch that waited this long is retried like any transient failure. It also bounds the pool's
		 * check of a connection that sat idle (HikariCP's validationTimeout, at most 5 s).
		 */
		private Duration connectionTimeout = DeepstreamStoragePoolSettings.DEFAULT_CONNECTION_TIMEOUT;

		/**
		 * pgjdbc's prepareThreshold for the pool's connections: after how many executions a statement
		 * becomes a server-side prepared statement. 0 (the default) never prepares on the server, so the
		 * pool works through PgBouncer in transaction mode; 5 is pgjdbc's own default.
		 */
		private int prepareThreshold = DeepstreamStoragePoolSettings.DEFAULT_PREPARE_THRESHOLD;

		public Duration getSocketTimeout() {
			return this.socketTimeout;
		}

		public void setSocketTimeout(Duration socketTimeout) {
			this.socketTimeout = socketTimeout;
		}

		public Duration getConnectionTimeout() {
			return this.connectionTimeout;
		}

		public void setConnectionTimeout(Duration connectionTimeout) {
			this.connectionTimeout = connectionTimeout;
		}

		public int getPrepareThreshold() {
			return this.prepareThreshold;
		}

		public void setPrepareThreshold(int prepareThreshold) {
			this.prepareThreshold = prepareThreshold;
		}

	}


	/**
	 * The deepstream servers this store's writes are announced to. A deepstream server does not see
	 * writes made directly in PostgreSQL (its cache never expires); after every committed batch the
	 * names of its records are sent to each URL as one record notify.
	 */
	public static class Server {

		/**
		 * deepstream HTTP endpoints to announce writes to, such as http://localhost:6020/api. Empty: off.
		 * With a cluster whose nodes keep their own cache (the default local cache), list every node.
		 */
		private List<String> urls = new ArrayList<>();

		/**
		 * Sent as authData with every request, for the server's auth handler (exclusive with token).
		 */
		private @Nullable Map<String, Object> authData;

		/**
		 * Sent as token with every request, for the server's auth handler (exclusive with auth-data).
		 */
		private @Nullable String token;

		/**
		 * How long connecting to a server may take.
		 */
		private Duration connectTimeout = AnnouncerOptions.DEFAULT_CONNECT_TIMEOUT;

		/**
		 * How long a server may take to answer a request.
		 */
		private Duration requestTimeout = AnnouncerOptions.DEFAULT_REQUEST_TIMEOUT;

		/**
		 * Most record names in one request.
		 */
		private int maxNamesPerRequest = AnnouncerOptions.DEFAULT_MAX_NAMES_PER_REQUEST;

		/**
		 * Most names waiting for one server; names beyond it are given up on (logged, counted, published as
		 * RecordsNotAnnouncedEvent).
		 */
		private int maxPendingNames = AnnouncerOptions.DEFAULT_MAX_PENDING_NAMES;

		/**
		 * The first pause after a failed request; doubled after each failure.
		 */
		private Duration retryInitialBackoff = AnnouncerOptions.DEFAULT_RETRY_INITIAL_BACKOFF;

		/**
		 * The longest pause after a failed request.
		 */
		private Duration retryMaxBackoff = AnnouncerOptions.DEFAULT_RETRY_MAX_BACKOFF;

		/**
		 * How long a name is retried after its commit before it is given up on.
		 */
		private Duration giveUpAfter = AnnouncerOptions.DEFAULT_GIVE_UP_AFTER;

		/**
		 * How long shutdown waits for names still waiting before giving up on them.
		 */
		private Duration closeTimeout = AnnouncerOptions.DEFAULT_CLOSE_TIMEOUT;

		/**
		 * Whether the deepstream server (the first of urls) checks conditional writes (compareAndSet,
		 * update) with its versioned write, instead of PostgreSQL in the batch's statement. Needed for
		 * exact conditional writes on records that deepstream clients write too.
		 */
		private boolean checkConditionalWrites;

		/** @return whether any server is configured */
		public boolean isEnabled() {
			return !this.urls.isEmpty();
		}

		/**
		 * The announcer options these properties describe: the store's default table, and the
		 * {@code server.*} properties of the same names.
		 * @param defaultTable the store's default table
		 * @return the options
		 * @throws InvalidConfigurationPropertyValueException naming the property of an option the
		 * announcer refuses
		 */
		public AnnouncerOptions toAnnouncerOptions(String defaultTable) {
			return OptionProperties.build(() -> {
				AnnouncerOptions.Builder builder = AnnouncerOptions.builder();
				PropertyMapper map = PropertyMapper.get();
				map.from(this::uris).to(builder::urls);
				map.from(this.authData).to(builder::authData);
				map.from(this.token).to(builder::token);
				map.from(defaultTable).to(builder::defaultTable);
				map.from(this.connectTimeout).to(builder::connectTimeout);
				map.from(this.requestTimeout).to(builder::requestTimeout);
				map.from(this.maxNamesPerRequest).to(builder::maxNamesPerRequest);
				map.from(this.maxPendingNames).to(builder::maxPendingNames);
				map.from(this.retryInitialBackoff).to(builder::retryInitialBackoff);
				map.from(this.retryMaxBackoff).to(builder::retryMaxBackoff);
				map.from(this.giveUpAfter).to(builder::giveUpAfter);
				map.from(this.closeTimeout).to(builder::closeTimeout);
				return builder.build();
			}, (option) -> option.equals("defaultTable") ? OptionProperties.inGroup("", option)
					: OptionProperties.inGroup("server.", option));
		}

		/** The URLs as URIs; an empty one stays empty, for the announcer to refuse by its index. */
		private List<URI> uris() {
			List<URI> uris = new ArrayList<>();
			for (int i = 0; i < this.urls.size(); i++) {
				String url = (this.urls.get(i) != null) ? this.urls.get(i).strip() : "";
				try {
					uris.add(URI.create(url));
				}
				catch (IllegalArgumentException ex) {
					throw invalid("server.urls[" + i + "]", url, "must be a URL, such as http://localhost:6020/api ("
							+ ex.getMessage() + ")");
				}
			}
			return uris;
		}

		public List<String> getUrls() {
			return this.urls;
		}

		public void setUrls(List<String> urls) {
			this.urls = urls;
		}

		public @Nullable Map<String, Object> getAuthData() {
			return this.authData;
		}

		public void setAuthData(@Nullable Map<String, Object> authData) {
			this.authData = authData;
		}

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public int getMaxNamesPerRequest() {
			return this.maxNamesPerRequest;
		}

		public void setMaxNamesPerRequest(int maxNamesPerRequest) {
			this.maxNamesPerRequest = maxNamesPerRequest;
		}

		public int getMaxPendingNames() {
			return this.maxPendingNames;
		}

		public void setMaxPendingNames(int maxPendingNames) {
			this.maxPendingNames = maxPendingNames;
		}

		public Duration getRetryInitialBackoff() {
			return this.retryInitialBackoff;
		}

		public void setRetryInitialBackoff(Duration retryInitialBackoff) {
			this.retryInitialBackoff = retryInitialBackoff;
		}

		public Duration getRetryMaxBackoff() {
			return this.retryMaxBackoff;
		}

		public void setRetryMaxBackoff(Duration retryMaxBackoff) {
			this.retryMaxBackoff = retryMaxBackoff;
		}

		public Duration getGiveUpAfter() {
			return this.giveUpAfter;
		}

		public void setGiveUpAfter(Duration giveUpAfter) {
			this.giveUpAfter = giveUpAfter;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

		public boolean isCheckConditionalWrites() {
			return this.checkConditionalWrites;
		}

		public void setCheckConditionalWrites(boolean checkConditionalWrites) {
			this.checkConditionalWrites = checkConditionalWrites;
		}

	}

}
