package io.deepstream.storage.announce;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.deepstream.storage.core.InvalidRecordException;
import io.deepstream.storage.core.RecordName;
import io.deepstream.storage.store.ConditionalWrites;
import io.deepstream.storage.store.RecordWriteException;
import io.deepstream.storage.store.StoredRecord;
import io.deepstream.storage.store.TransientRecordWriteException;
import io.deepstream.storage.store.VersionConflictException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Conditional writes checked by a running deepstream server, for records that deepstream clients
 * write too: the server checks its clients' writes against its own cache, so a write checked by
 * PostgreSQL can come in between the server's check and its (unconditional) store of a client's
 * write, and be lost. Going through the server's versioned {@code write} makes the server the one
 * authority for every writer:
 *
 * <pre>
 * POST {url} {"body": [{"topic": "record", "action": "read",  "recordName": "cars/bmw"}]}
 * POST {url} {"body": [{"topic": "record", "action": "write", "recordName": "cars/bmw", "version": 8, "data": {...}}]}
 * </pre>
 *
 * The server accepts version N only when its current version is N - 1 (a record that does not exist
 * counts as 0), applies the write to its cache, tells its subscribers, and answers once its storage
 * connector has written it to PostgreSQL; a conflict is answered with the current version and data,
 * which become the {@link VersionConflictException}'s record. Requests go to the first of the
 * {@link AnnouncerOptions#urls() urls}, with its {@code authData} or {@code token}; nothing waits on
 * the caller's thread.
 * <p>
 * Limits: the write does not pass through the store's buffer, so it is not ordered with the store's
 * own buffered writes of the same record; a request without an answer within the request timeout
 * fails with a {@link RecordWriteException} although the server may have applied it; and deepstream
 * 7.0.2 acknowledges a write whose storage failed (its write acknowledgement ignores the storage
 * error), which only its log shows.
 */
public final class ServerCheckedWrites implements ConditionalWrites {

	/** {@code RECORD_ACTION.VERSION_EXISTS} of deepstream's protocol, as {@code errorEvent}. */
	static final int VERSION_EXISTS = 102;

	/** {@code RECORD_ACTION.RECORD_NOT_FOUND}, as {@code errorEvent}. */
	static final int RECORD_NOT_FOUND = 107;

	/** {@code RECORD_ACTION.INVALID_VERSION}: a version beyond current + 1. */
	static final int INVALID_VERSION = 108;

	private final URI url;

	private final HttpClient http;

	private final JsonMapper mapper;

	private final AnnouncerOptions options;

	public ServerCheckedWrites(AnnouncerOptions options) {
		this(options, JsonMapper.builder().build());
	}

	public ServerCheckedWrites(AnnouncerOptions options, JsonMapper jsonMapper) {
		this.url = options.urls().get(0);
		this.options = options;
		this.mapper = jsonMapper;
		this.http = NotifyClient.httpClient(options);
	}

	/** @return the endpoint that checks the writes */
	public URI url() {
		return this.url;
	}

	@Override
	public CompletableFuture<StoredRecord> read(String name, RecordName recordName) {
		ObjectNode message = message("read", name);
		return send(name, message).thenApply((entry) -> {
			if (entry.path("success").asBoolean(false)) {
				return new StoredRecord(entry.path("version").asInt(), entry.get("data"));
			}
			if (entry.path("errorEvent").asInt(-1) == RECORD_NOT_FOUND) {
				return StoredRecord.MISSING;
			}
			throw refused(name, "read", entry);
		});
	}

	/** A record the server does not have is at version 0 to it: the next is 1. */
	@Override
	public int nextVersion(StoredRecord current) {
		return Math.max(current.version(), 0) + 1;
	}

	@Override
	public CompletableFuture<Void> compareAndSet(String name, RecordName recordName, int expectedVersion, int version, String json) {
		if (version != nextVersion(new StoredRecord(expectedVersion, null))) {
			throw new InvalidRecordException("Record '" + name + "': the deepstream server that checks conditional writes"
					+ " accepts only version " + nextVersion(new StoredRecord(expectedVersion, null)) + " on top of version "
					+ expectedVersion + " (a record that does not exist counts as 0), not " + version);
		}
		JsonNode data;
		try {
			data = this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw new InvalidRecordException("Record '" + name + "': the value is not JSON", ex);
		}
		ObjectNode message = message("write", name);
		message.put("version", version);
		message.set("data", data);
		return send(name, message).thenCompose((entry) -> {
			if (entry.path("success").asBoolean(false)) {
				return CompletableFuture.<Void>completedFuture(null);
			}
			int event = entry.path("errorEvent").asInt(-1);
			if (event == VERSION_EXISTS && entry.has("currentVersion")) {
				return CompletableFuture.<Void>failedFuture(new VersionConflictException(recordName, expectedVersion,
						new StoredRecord(entry.get("currentVersion").asInt(), entry.get("currentData"))));
			}
			if (event == VERSION_EXISTS || event == INVALID_VERSION) {
				// The answer does not carry the record as the server has it (INVALID_VERSION echoes the
				// version asked for): read it.
				return read(name, recordName).thenCompose((current) -> CompletableFuture
					.<Void>failedFuture(new VersionConflictException(recordName, expectedVersion, current)));
			}
			return CompletableFuture.<Void>failedFuture(refused(name, "write", entry));
		});
	}

	private ObjectNode message(String action, String name) {
		ObjectNode message = this.mapper.createObjectNode();
		message.put("topic", "record");
		message.put("action", action);
		message.put("recordName", name);
		return message;
	}

	/** Sends one message and answers its entry of the answer's body. */
	private CompletableFuture<JsonNode> send(String name, ObjectNode message) {
		ObjectNode request = this.mapper.createObjectNode();
		if (this.options.authData() != null) {
			request.set("authData", this.mapper.valueToTree(this.options.authData()));
		}
		if (this.options.token() != null) {
			request.put("token", this.options.token());
		}
		ArrayNode body = request.putArray("body");
		body.add(message);
		HttpRequest httpRequest = HttpRequest.newBuilder(this.url)
			.timeout(this.options.requestTimeout())
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(this.mapper.writeValueAsBytes(request)))
			.build();
		String action = message.path("action").asString();
		return this.http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofString())
			.handle((response, failure) -> {
				if (failure != null) {
					throw unanswered(name, action, (failure instanceof CompletionException) ? failure.getCause() : failure);
				}
				return entry(name, action, response.statusCode(), response.body());
			});
	}

	private JsonNode entry(String name, String action, int status, String body) {
		JsonNode answer = null;
		if (status == 200) {
			try {
				answer = this.mapper.readTree(body);
			}
			catch (JacksonException ex) {
				// not the API's JSON: reported below
			}
		}
		JsonNode entries = (answer != null) ? answer.get("body") : null;
		if (entries == null || !entries.isArray() || entries.size() != 1 || !entries.get(0).isObject()) {
			FailureKind kind = (status == 401 || (status == 400 && (body.contains("authData") || body.contains("token"))))
					? FailureKind.AUTHENTICATION : (status >= 500) ? FailureKind.SERVER_ERROR
							: (status == 400) ? FailureKind.REJECTED : FailureKind.NOT_DEEPSTREAM_API;
			throw new RecordWriteException("The " + action + " of record '" + name + "' at " + this.url + " failed ("
					+ kind + "): HTTP " + status + ": " + NotifyClient.shorten(body), null);
		}
		return entries.get(0);
	}

	private RecordWriteException refused(String name, String action, JsonNode entry) {
		return new RecordWriteException("The deepstream server at " + this.url + " refused the " + action + " of record '"
				+ name + "': " + NotifyClient.shorten(entry.toString()), null);
	}

	private DataAccessException unanswered(String name, String action, @Nullable Throwable failure) {
		if (failure instanceof HttpTimeoutException) {
			return new RecordWriteException("No answer from the deepstream server at " + this.url + " to the " + action
					+ " of record '" + name + "' within " + this.options.requestTimeout()
					+ ": the server may or may not have applied it", failure);
		}
		if (failure instanceof ConnectException) {
			// Not connected: the request was not sent and changed nothing.
			return new TransientRecordWriteException("The deepstream server at " + this.url + " is unreachable for the "
					+ action + " of record '" + name + "': connection refused or timed out", failure);
		}
		String detail = String.valueOf((failure != null) ? failure.getMessage() : null);
		String outcome = (failure instanceof IOException) ? ": the server may or may not have applied it" : "";
		return new RecordWriteException("The " + action + " of record '" + name + "' at " + this.url + " failed: "
				+ detail + outcome, failure);
	}

}
