package io.deepstream.storage.store;

import java.util.List;
import java.util.Optional;

import io.deepstream.storage.core.RecordName;
import io.deepstream.storage.core.SqlStates;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The reads of {@link PostgresRecordStore}: a record as the store's callers see it, a write of it
 * still buffered first (read-your-writes), else as PostgreSQL has it. Reads run on the caller's
 * thread; their failures are Spring's {@link DataAccessException}s, thrown at once.
 */
final class RecordReader {

	private final JdbcTemplate jdbc;

	private final RecordStatements.Cache statements;

	private final WriteBuffer buffer;

	private final JsonCodec json;

	private final String defaultTable;

	RecordReader(JdbcTemplate jdbc, RecordStatements.Cache statements, WriteBuffer buffer, JsonCodec json,
			String defaultTable) {
		this.jdbc = jdbc;
		this.statements = statements;
		this.buffer = buffer;
		this.json = json;
		this.defaultTable = defaultTable;
	}

	/** A record, a write of it still buffered included; {@link StoredRecord#MISSING} when absent. */
	StoredRecord get(String name) {
		RecordName recordName = RecordName.parse(name, this.defaultTable);
		StoredRecord buffered = buffered(recordName);
		if (buffered != null) {
			return buffered;
		}
		String sql = this.statements.of(recordName.table()).read();
		try {
			List<StoredRecord> rows = this.jdbc.query(sql,
					(rs, row) -> new StoredRecord(rs.getInt(1), this.json.read(rs.getString(2))), recordName.id());
			return rows.isEmpty() ? StoredRecord.MISSING : rows.get(0);
		}
		catch (DataAccessException ex) {
			// A table that does not exist (yet, or any more) holds no records.
			if (SqlStates.hasState(ex, SqlStates.UNDEFINED_TABLE)) {
				return StoredRecord.MISSING;
			}
			throw ex;
		}
	}

	/** A record's value as a type; empty when the record does not exist. */
	<T> Optional<T> get(String name, Class<T> type) {
		JsonNode value = get(name).value();
		return (value != null) ? Optional.of(this.json.convert(value, type)) : Optional.empty();
	}

	/**
	 * The record as its latest write still buffered makes it ({@link StoredRecord#MISSING} for a
	 * buffered delete), or null when no write of it is buffered.
	 */
	@Nullable StoredRecord buffered(RecordName recordName) {
		PendingWrite pending = this.buffer.visible(recordName);
		if (pending == null) {
			return null;
		}
		String text = pending.json();
		return (text != null) ? new StoredRecord(pending.version(), this.json.read(text)) : StoredRecord.MISSING;
	}

}
