package io.deepstream.storage.announce;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.InvalidOptionException;
import io.deepstream.storage.store.RecordStoreOptions;
import org.jspecify.annotations.Nullable;

import static io.deepstream.storage.core.OptionChecks.requireAtLeast;
import static io.deepstream.storage.core.OptionChecks.requirePositive;
import static io.deepstream.storage.core.OptionChecks.requireValid;

/**
 * Options of the {@link ServerAnnouncer}. Build with {@link #builder()}.
 *
 * @param urls the deepstream HTTP endpoints to tell, such as {@code http://localhost:6020/api}; every
 * node of a cluster whose nodes keep their own cache must be listed (one request goes to each)
 * @param authData sent as {@code authData} with every request (for the server's auth handler), or null
 * @param token sent as {@code token} with every request, or null; not together with {@code authData}
 * @param defaultTable the store's table for record names without {@code /}
 * @param connectTimeout how long connecting to a server may take
 * @param requestTimeout how long a server may take to answer a request
 * @param maxNamesPerRequest most record names in one {@code notify}
 * @param maxPendingNames most names waiting for one server; names beyond it are given up on (and reported)
 * @param retryInitialBackoff the first pause after a failed request; doubled after each failure
 * @param retryMaxBackoff the longest pause after a failed request
 * @param giveUpAfter how long a name is retried after its commit before it is given up on (and reported)
 * @param closeTimeout how long closing waits for the names still waiting before giving them up
 */
public record AnnouncerOptions(List<URI> urls, @Nullable Map<String, Object> authData, @Nullable String token,
		String defaultTable, Duration connectTimeout, Duration requestTimeout, int maxNamesPerRequest,
		int maxPendingNames, Duration retryInitialBackoff, Duration retryMaxBackoff, Duration giveUpAfter,
		Duration closeTimeout) {

	/** Default connect timeout. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	/** Default request timeout: well below the server's own {@code requestTimeout} (20 s). */
	public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * Default most names per request: a request of 5,000 names of 20 characters is about 120 kB (a
	 * deepstream server takes up to 1 MB by default; a larger request is split in halves and sent
	 * again). Every request costs both sides far more than a name in it: with 1,000 names per request
	 * the client's CPU per name was twice as high.
	 */
	public static final int DEFAULT_MAX_NAMES_PER_REQUEST = 5000;

	/** Default most names waiting per server. */
	public static final int DEFAULT_MAX_PENDING_NAMES = 100_000;

	/** Default first pause after a failure. */
	public static final Duration DEFAULT_RETRY_INITIAL_BACKOFF = Duration.ofMillis(200);

	/** Default longest pause after a failure. */
	public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(5);

	/** Default time a name is retried before it is given up on. */
	public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofMinutes(1);

	/** Default time closing waits for names still waiting. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Checks every option. The token is never shown in a failure.
	 * @throws InvalidOptionException naming the first option that breaks a rule
	 */
	public AnnouncerOptions {
		urls = List.copyOf(urls);
		if (urls.isEmpty()) {
			throw new InvalidOptionException("urls", urls, "must name at least one deepstream HTTP endpoint");
		}
		for (int i = 0; i < urls.size(); i++) {
			requireHttpUrl(urls.get(i), "urls[" + i + "]");
		}
		if (urls.stream().distinct().count() < urls.size()) {
			throw new InvalidOptionException("urls", urls, "must not name the same endpoint twice");
		}
		if (authData != null && token != null) {
			throw new InvalidOptionException("token", null,
					"must not be set together with {authData}: they are exclusive, a request carries one or the other",
					"authData");
		}
		if (token != null && token.isBlank()) {
			throw new InvalidOptionException("token", null, "must not be blank");
		}
		authData = (authData != null) ? Map.copyOf(new LinkedHashMap<>(authData)) : null;
		requireValid(defaultTable, "defaultTable", (table) -> Identifiers.requireValidTable(table, table));
		requirePositive(connectTimeout, "connectTimeout");
		requirePositive(requestTimeout, "requestTimeout");
		requirePositive(retryInitialBackoff, "retryInitialBackoff");
		requirePositive(retryMaxBackoff, "retryMaxBackoff");
		requirePositive(giveUpAfter, "giveUpAfter");
		requirePositive(closeTimeout, "closeTimeout");
		requireAtLeast(retryMaxBackoff, "retryMaxBackoff", retryInitialBackoff, "retryInitialBackoff");
		requireAtLeast(maxNamesPerRequest, 1, "maxNamesPerRequest");
		requireAtLeast(maxPendingNames, "maxPendingNames", maxNamesPerRequest, "maxNamesPerRequest");
	}

	/**
	 * Checks that a URL can be a deepstream HTTP endpoint: absolute, {@code http} or {@code https},
	 * with a host.
	 */
	private static void requireHttpUrl(URI url, String option) {
		if (url.toString().isBlank()) {
			throw new InvalidOptionException(option, url, "must not be empty");
		}
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
			throw new InvalidOptionException(option, url, "must be an http or https URL, such as http://localhost:6020/api");
		}
		if (url.getHost() == null || url.getHost().isEmpty()) {
			throw new InvalidOptionException(option, url, "must name a host, such as http://localhost:6020/api");
		}
	}

	/**
	 * A builder with every default, for the given endpoints.
	 * @param urls the deepstream HTTP endpoints
	 * @return a new builder
	 */
	public static Builder builder(String... urls) {
		Builder builder = new Builder();
		for (String url : urls) {
			builder.urls.add(URI.create(url));
		}
		return builder;
	}

	/** Builds {@link AnnouncerOptions}. */
	public static final class Builder {

		private final List<URI> urls = new java.util.ArrayList<>();

		private @Nullable Map<String, Object> authData;

		private @Nullable String token;

		private String defaultTable = RecordStoreOptions.DEFAULT_TABLE;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

		private int maxNamesPerRequest = DEFAULT_MAX_NAMES_PER_REQUEST;

		private int maxPendingNames = DEFAULT_MAX_PENDING_NAMES;

		private Duration retryInitialBackoff = DEFAULT_RETRY_INITIAL_BACKOFF;

		private Duration retryMaxBackoff = DEFAULT_RETRY_MAX_BACKOFF;

		private Duration giveUpAfter = DEFAULT_GIVE_UP_AFTER;

		private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;

		private Builder() {
		}

		public Builder urls(List<URI> urls) {
			this.urls.clear();
			this.urls.addAll(urls);
			return this;
		}

		public Builder authData(@Nullable Map<String, Object> authData) {
			this.authData = authData;
			return this;
		}

		public Builder token(@Nullable String token) {
			this.token = token;
			return this;
		}

		public Builder defaultTable(String defaultTable) {
			this.defaultTable = defaultTable;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		public Builder maxNamesPerRequest(int maxNamesPerRequest) {
			this.maxNamesPerRequest = maxNamesPerRequest;
			return this;
		}

		public Builder maxPendingNames(int maxPendingNames) {
			this.maxPendingNames = maxPendingNames;
			return this;
		}

		public Builder retryInitialBackoff(Duration retryInitialBackoff) {
			this.retryInitialBackoff = retryInitialBackoff;
			return this;
		}

		public Builder retryMaxBackoff(Duration retryMaxBackoff) {
			this.retryMaxBackoff = retryMaxBackoff;
			return this;
		}

		public Builder giveUpAfter(Duration giveUpAfter) {
			this.giveUpAfter = giveUpAfter;
			return this;
		}

		public Builder closeTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
			return this;
		}

		public AnnouncerOptions build() {
			return new AnnouncerOptions(this.urls, this.authData, this.token, this.defaultTable, this.connectTimeout,
					this.requestTimeout, this.maxNamesPerRequest, this.maxPendingNames, this.retryInitialBackoff,
					this.retryMaxBackoff, this.giveUpAfter, this.closeTimeout);
		}

	}

}
