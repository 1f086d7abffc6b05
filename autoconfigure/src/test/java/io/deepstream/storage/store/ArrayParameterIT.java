package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL reads an {@link ArrayParameter} as the array it was made of, whether pgjdbc sends it in
 * binary (its default) or, with {@code binaryTransfer=false}, as text.
 */
class ArrayParameterIT {

	private static final String[] TEXTS = { "plain", "", "a\"quote", "back\\slash", "NULL", "{braces,comma}",
			"ünïcödé ✓ 😀", " spaced ", "{\"n\":1,\"data\":\"xx\"}" };

	@ParameterizedTest(name = "binaryTransfer={0}")
	@ValueSource(booleans = { true, false })
	void textElementsArriveUnchangedAndInOrder(boolean binaryTransfer) throws SQLException {
		try (Connection connection = connect(binaryTransfer);
				PreparedStatement query = connection
					.prepareStatement("SELECT u FROM unnest(?::text[]) WITH ORDINALITY AS t(u, n) ORDER BY n")) {
			query.setObject(1, ArrayParameter.text(TEXTS));
			assertThat(strings(query)).containsExactly(TEXTS);
		}
	}

	@ParameterizedTest(name = "binaryTransfer={0}")
	@ValueSource(booleans = { true, false })
	void int4ElementsArriveUnchangedAndInOrder(boolean binaryTransfer) throws SQLException {
		List<Integer> numbers = List.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 65_536);
		try (Connection connection = connect(binaryTransfer);
				PreparedStatement query = connection
					.prepareStatement("SELECT u::text FROM unnest(?::int4[]) WITH ORDINALITY AS t(u, n) ORDER BY n")) {
			query.setObject(1, ArrayParameter.int4(numbers.stream().mapToInt(Integer::intValue).toArray()));
			assertThat(strings(query)).containsExactlyElementsOf(numbers.stream().map(String::valueOf).toList());
		}
	}

	@ParameterizedTest(name = "binaryTransfer={0}")
	@ValueSource(booleans = { true, false })
	void anEmptyArrayIsEmpty(boolean binaryTransfer) throws SQLException {
		try (Connection connection = connect(binaryTransfer);
				PreparedStatement query = connection.prepareStatement("SELECT cardinality(?::text[])")) {
			query.setObject(1, ArrayParameter.text(new String[0]));
			assertThat(strings(query)).containsExactly("0");
		}
	}

	private static Connection connect(boolean binaryTransfer) throws SQLException {
		TestDatabase database = TestDatabase.get();
		Properties properties = new Properties();
		properties.setProperty("user", database.username());
		properties.setProperty("password", database.password());
		properties.setProperty("binaryTransfer", Boolean.toString(binaryTransfer));
		return DriverManager.getConnection(database.url(), properties);
	}

	private static List<String> strings(PreparedStatement query) throws SQLException {
		List<String> values = new ArrayList<>();
		try (ResultSet rs = query.executeQuery()) {
			while (rs.next()) {
				values.add(rs.getString(1));
			}
		}
		return values;
	}

}
