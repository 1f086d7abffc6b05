package io.deepstream.storage.sample.records;

import java.util.List;
import java.util.Map;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.SqlStates;
import io.deepstream.storage.store.PostgresRecordStore;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists the records of one table, ordered by id, through the store's raw query: the table name is
 * validated and quoted by {@link Identifiers}, the limit is a bind parameter.
 */
@Component
public class RecordListing {

	/** The most rows one listing returns. */
	public static final int MAX_LIMIT = 1000;

	private static final String SELECT_RECORDS = """
			SELECT id, version, val::text AS val
			FROM %s
			ORDER BY id
			LIMIT ?
			""";

	private final PostgresRecordStore store;

	private final JsonMapper jsonMapper;

	public RecordListing(PostgresRecordStore store, JsonMapper jsonMapper) {
		this.store = store;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The first records of a table.
	 * @param table the table
	 * @param limit how many at most, 1 to {@value #MAX_LIMIT}
	 * @return the records, empty when the table does not exist
	 * @throws IllegalArgumentException for an invalid table name or limit
	 */
	public List<RecordSummary> list(String table, int limit) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
		}
		String qualified = Identifiers.qualify(this.store.options().schema(), RecordAddress.requireValidTable(table));
		List<Map<String, Object>> rows;
		try {
			rows = this.store.query(SELECT_RECORDS.formatted(qualified), limit);
		}
		catch (DataAccessException ex) {
			// Tables come and go with their records: one that does not exist lists nothing.
			if (SqlStates.hasState(ex, SqlStates.UNDEFINED_TABLE)) {
				return List.of();
			}
			throw ex;
		}
		return rows.stream().map(this::toSummary).toList();
	}

	private RecordSummary toSummary(Map<String, Object> row) {
		Object version = row.get("version");
		return new RecordSummary(notNullText(row, "id"), (version instanceof Number number) ? number.intValue() : 0,
				readValue(notNullText(row, "val")));
	}

	/** A text column that the record table declares NOT NULL ({@code id} and {@code val}). */
	private static String notNullText(Map<String, Object> row, String column) {
		Object value = row.get(column);
		if (value == null) {
			throw new IllegalStateException("Column '" + column + "' is NULL, but record tables declare it NOT NULL");
		}
		return (String) value;
	}

	private JsonNode readValue(String text) {
		try {
			return this.jsonMapper.readTree(text);
		}
		catch (JacksonException ex) {
			// Only a write from outside deepstream can leave text that is not JSON: show it as it is.
			return this.jsonMapper.getNodeFactory().stringNode(text);
		}
	}

}
