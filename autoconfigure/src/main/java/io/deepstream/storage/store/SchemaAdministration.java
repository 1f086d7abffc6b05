package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.SqlStates;
import io.deepstream.storage.schema.SchemaInitializer;
import io.deepstream.storage.schema.SchemaSql;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reference connector's schema administration and raw queries, which {@link PostgresRecordStore}
 * offers on its face: creating and destroying schemas, the overview of tables and row counts, and
 * {@code query}. Failures are Spring's {@link DataAccessException}s.
 */
final class SchemaAdministration {

	private final JdbcTemplate jdbc;

	private final SchemaInitializer schemaInitializer;

	SchemaAdministration(JdbcTemplate jdbc, SchemaInitializer schemaInitializer) {
		this.jdbc = jdbc;
		this.schemaInitializer = schemaInitializer;
	}

	/** Creates a schema, the reference's functions and this project's trigger function, if missing. */
	void createSchema(String name) {
		try {
			this.schemaInitializer.initialize(name);
		}
		catch (SQLException ex) {
			DataAccessException translated = this.jdbc.getExceptionTranslator()
				.translate("initialise schema '" + name + "'", null, ex);
			throw (translated != null) ? translated
					: new UncategorizedSQLException("initialise schema '" + name + "'", null, ex);
		}
	}

	/** Drops a schema and everything in it; fails if it does not exist, as the reference does. */
	void destroySchema(String name) {
		this.jdbc.execute(SchemaSql.dropSchema(Identifiers.requireValidSchema(name)));
	}

	/** Every table of a schema with its number of rows, sorted by name. */
	Map<String, Long> getSchemaOverview(String schema) {
		Identifiers.requireValidSchema(schema);
		List<String> tables = this.jdbc.queryForList("SELECT table_name FROM information_schema.tables "
				+ "WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name", String.class, schema);
		Map<String, Long> overview = new LinkedHashMap<>();
		for (String table : tables) {
			Long count = countRows(schema, table);
			if (count != null) {
				overview.put(table, count);
			}
		}
		return overview;
	}

	private @Nullable Long countRows(String schema, String table) {
		try {
			return this.jdbc.queryForObject("SELECT count(*) FROM " + Identifiers.qualify(schema, table), Long.class);
		}
		catch (DataAccessException ex) {
			// Dropped between listing and counting: it is no longer part of the overview.
			if (SqlStates.hasState(ex, SqlStates.UNDEFINED_TABLE)) {
				return null;
			}
			throw ex;
		}
	}

	/** Runs raw, parameterised SQL; rows as column name to value, none for a statement without rows. */
	List<Map<String, Object>> query(String sql, Object... args) {
		return this.jdbc.execute((Connection connection) -> {
			try (var statement = connection.prepareStatement(sql)) {
				for (int i = 0; i < args.length; i++) {
					statement.setObject(i + 1, args[i]);
				}
				if (!statement.execute()) {
					return List.<Map<String, Object>>of();
				}
				try (ResultSet rs = statement.getResultSet()) {
					return extract(rs);
				}
			}
		});
	}

	private static List<Map<String, Object>> extract(ResultSet rs) throws SQLException {
		ColumnMapRowMapper mapper = new ColumnMapRowMapper();
		List<Map<String, Object>> rows = new ArrayList<>();
		int row = 0;
		while (rs.next()) {
			rows.add(mapper.mapRow(rs, row++));
		}
		return rows;
	}

}
