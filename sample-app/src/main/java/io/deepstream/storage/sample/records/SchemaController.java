package io.deepstream.storage.sample.records;

import java.util.Map;

import io.deepstream.storage.store.PostgresRecordStore;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /schema}: every table of the configured schema with its number of records.
 */
@RestController
public class SchemaController {

	private final PostgresRecordStore store;

	public SchemaController(PostgresRecordStore store) {
		this.store = store;
	}

	@GetMapping("/schema")
	Map<String, Long> schema() {
		return this.store.getSchemaOverview();
	}

}
