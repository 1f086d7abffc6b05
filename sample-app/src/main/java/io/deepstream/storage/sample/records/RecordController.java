package io.deepstream.storage.sample.records;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.StoredRecord;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The records over HTTP: {@code PUT}, {@code GET} and {@code DELETE /records/{table}/{id}}, and
 * {@code GET /records/{table}} to list a table. Writes answer once the store has committed them.
 * <p>
 * The id is everything after the table, read from the raw request URI by {@link RecordAddress}, so
 * that an encoded slash in it survives. Invalid names and bodies are rejected before anything reaches
 * the store (400, see {@code ApiExceptionHandler}).
 */
@RestController
@RequestMapping(RecordController.PATH)
public class RecordController {

	/** Where the records live. */
	public static final String PATH = "/records";

	/** The response header with the version of the record read. */
	public static final String VERSION_HEADER = "X-Record-Version";

	private final PostgresRecordStore store;

	private final RecordListing listing;

	/** Keeps numbers as written: floats as BigDecimal, and nothing after the JSON value. */
	private final ObjectReader bodyReader;

	public RecordController(PostgresRecordStore store, RecordListing listing, JsonMapper jsonMapper) {
		this.store = store;
		this.listing = listing;
		this.bodyReader = jsonMapper.readerFor(JsonNode.class)
			.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	/**
	 * Writes a record. With {@code expected-version} the write is conditional, by deepstream's rule:
	 * it applies only if the stored version is that one (-1: the record must not exist), and answers
	 * 409 with the current version and value otherwise; {@code version} then defaults to the expected
	 * one + 1 (with {@code deepstream.storage.server.check-conditional-writes}, a deepstream server's
	 * rule: a record that does not exist counts as version 0, so -1 is followed by 1).
	 */
	@PutMapping("/{table}/**")
	CompletableFuture<ResponseEntity<Void>> put(HttpServletRequest request, @RequestParam @Nullable Integer version,
			@RequestParam(name = "expected-version") @Nullable Integer expectedVersion, @RequestBody byte[] body) {
		RecordAddress address = address(request);
		JsonNode value = parseBody(body);
		CompletableFuture<Void> written = (expectedVersion != null)
				? this.store.compareAndSet(address.recordName(), expectedVersion, (version != null) ? version
						: this.store.conditionalWrites().nextVersion(new StoredRecord(expectedVersion, null)), value)
				: this.store.set(address.recordName(), (version != null) ? version : 0, value);
		return written.thenApply((committed) -> ResponseEntity.noContent().build());
	}

	@GetMapping("/{table}/**")
	ResponseEntity<JsonNode> get(HttpServletRequest request) {
		RecordAddress address = address(request);
		StoredRecord record = this.store.get(address.recordName());
		JsonNode value = record.value();
		if (value == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No record with id '" + address.id() + "' in table '" + address.table() + "'");
		}
		return ResponseEntity.ok()
			.header(VERSION_HEADER, Integer.toString(record.version()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(value);
	}

	@DeleteMapping("/{table}/**")
	CompletableFuture<ResponseEntity<Void>> delete(HttpServletRequest request) {
		RecordAddress address = address(request);
		return this.store.delete(address.recordName()).thenApply((committed) -> ResponseEntity.noContent().build());
	}

	@GetMapping("/{table}")
	List<RecordSummary> list(@PathVariable String table, @RequestParam(defaultValue = "200") int limit) {
		return this.listing.list(table, limit);
	}

	private RecordAddress address(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return RecordAddress.parse(path.substring(PATH.length() + 1), this.store.options().defaultTable());
	}

	private JsonNode parseBody(byte[] body) {
		JsonNode value;
		try {
			value = this.bodyReader.readTree(body);
		}
		catch (JacksonException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The body is not JSON: " + ex.getOriginalMessage());
		}
		if (value == null || value.isMissingNode() || value.isNull()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The body must be a JSON value other than null");
		}
		return value;
	}

}
