package io.deepstream.storage.announce;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one record {@code notify} to one deepstream HTTP endpoint and classifies the answer:
 *
 * <pre>
 * POST {url}  {"body": [{"topic": "record", "action": "notify", "recordNames": [...]}], "authData": {...}}
 * 200 {"result": "SUCCESS", "body": [{"success": true}]}
 * </pre>
 */
final class NotifyClient {

	/** {@code RECORD_ACTION.MESSAGE_DENIED} of deepstream's protocol, as the HTTP API reports it in {@code errorEvent}. */
	static final int RECORD_MESSAGE_DENIED = 115;

	private static final int MAX_DETAIL_LENGTH = 200;

	/** What a deepstream server (its body parser) says of a request larger than its {@code maxMessageSize}. */
	private static final String TOO_LARGE = "request entity too large";

	/** A deepstream server's answer to a request of one message that succeeded, byte for byte. */
	private static final String SUCCESS = "{\"result\":\"SUCCESS\",\"body\":[{\"success\":true}]}";

	private final HttpClient http;

	private final JsonMapper mapper;

	private final Duration requestTimeout;

	private final Map<String, Object> credentials;

	private final NotifyBody body;

	NotifyClient(HttpClient http, JsonMapper mapper, AnnouncerOptions options) {
		this.http = http;
		this.mapper = mapper;
		this.requestTimeout = options.requestTimeout();
		Map<String, Object> credentials = new LinkedHashMap<>();
		if (options.authData() != null) {
			credentials.put("authData", options.authData());
		}
		if (options.token() != null) {
			credentials.put("token", options.token());
		}
		this.credentials = credentials;
		this.body = new NotifyBody(mapper, credentials);
	}

	/**
	 * Sends the names (never an empty list: the server would never answer it).
	 * @param url the endpoint
	 * @param names the record names, at least one
	 * @return the outcome
	 * @throws InterruptedException if interrupted while waiting for the answer
	 */
	NotifyOutcome notify(URI url, Collection<String> names) throws InterruptedException {
		if (names.isEmpty()) {
			throw new IllegalArgumentException("A notify needs at least one record name");
		}
		HttpRequest httpRequest = HttpRequest.newBuilder(url)
			.timeout(this.requestTimeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(this.body.encode(names)))
			.build();
		HttpResponse<String> response;
		try {
			response = this.http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpTimeoutException ex) {
			return new NotifyOutcome.Failed(FailureKind.UNREACHABLE, "no answer within " + this.requestTimeout);
		}
		catch (ConnectException ex) {
			return new NotifyOutcome.Failed(FailureKind.UNREACHABLE, "connection refused or timed out");
		}
		catch (IOException ex) {
			return new NotifyOutcome.Failed(FailureKind.UNREACHABLE, String.valueOf(ex.getMessage()));
		}
		return classify(response.statusCode(), response.body());
	}

	/**
	 * What an answer means.
	 * @param status the HTTP status
	 * @param body the body
	 * @return the outcome
	 */
	NotifyOutcome classify(int status, String body) {
		if (status == 401) {
			return new NotifyOutcome.Failed(FailureKind.AUTHENTICATION, "HTTP 401: " + shorten(body));
		}
		if (status >= 500) {
			return new NotifyOutcome.Failed(FailureKind.SERVER_ERROR, "HTTP " + status + ": " + shorten(body));
		}
		if (status == 413 || (status == 400 && body.contains(TOO_LARGE))) {
			// deepstream: 400 "Failed to parse body of request: request entity too large"; a proxy: 413
			return new NotifyOutcome.Failed(FailureKind.REJECTED, "HTTP " + status + " " + TOO_LARGE + ": " + shorten(body));
		}
		if (status == 400 && (body.contains("authData") || body.contains("token"))) {
			return new NotifyOutcome.Failed(FailureKind.AUTHENTICATION, "HTTP 400: " + shorten(body));
		}
		if (status != 200) {
			// 404 (wrong path), 405, 415: deepstream answers 400 only for a request it cannot parse
			FailureKind kind = (status == 400) ? FailureKind.REJECTED : FailureKind.NOT_DEEPSTREAM_API;
			return new NotifyOutcome.Failed(kind, "HTTP " + status + ": " + shorten(body));
		}
		if (SUCCESS.equals(body)) {
			// what a deepstream server answers to every notify it took: no need to parse it
			return NotifyOutcome.ANNOUNCED;
		}
		JsonNode answer = parse(body);
		JsonNode result = (answer != null) ? answer.get("result") : null;
		JsonNode entries = (answer != null) ? answer.get("body") : null;
		if (result == null || !result.isString() || entries == null || !entries.isArray() || entries.size() != 1) {
			return new NotifyOutcome.Failed(FailureKind.NOT_DEEPSTREAM_API,
					"HTTP 200 without a deepstream API answer: " + shorten(body));
		}
		JsonNode entry = entries.get(0);
		if ("SUCCESS".equals(result.asString()) && entry.path("success").asBoolean(false)) {
			return NotifyOutcome.ANNOUNCED;
		}
		String error = entry.path("error").asString("");
		if (entry.path("errorEvent").asInt(-1) == RECORD_MESSAGE_DENIED || error.startsWith("Message denied")) {
			return new NotifyOutcome.Failed(FailureKind.DENIED, error);
		}
		return new NotifyOutcome.Failed(FailureKind.REJECTED, result.asString() + ": " + shorten(entry.toString()));
	}

	/**
	 * @param failed a failed request
	 * @return whether it failed for being larger than the server takes: the same names in smaller
	 * requests may pass
	 */
	static boolean tooLarge(NotifyOutcome.Failed failed) {
		return failed.kind() == FailureKind.REJECTED && failed.detail().startsWith("HTTP ")
				&& failed.detail().contains(" " + TOO_LARGE + ": ");
	}

	private @Nullable JsonNode parse(String body) {
		try {
			JsonNode node = this.mapper.readTree(body);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * The HTTP client for a deepstream HTTP API: HTTP/1.1, no redirects, the options' connect timeout.
	 * @param options the options
	 * @return a new client
	 */
	static HttpClient httpClient(AnnouncerOptions options) {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(options.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** An answer's text on one line, cut for a log line or an exception's message. */
	static String shorten(String text) {
		String flat = text.strip().replaceAll("\\s+", " ");
		return (flat.length() > MAX_DETAIL_LENGTH) ? flat.substring(0, MAX_DETAIL_LENGTH) + "..." : flat;
	}

}
