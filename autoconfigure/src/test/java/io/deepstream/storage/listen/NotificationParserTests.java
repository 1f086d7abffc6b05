package io.deepstream.storage.listen;

import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.listen.NotificationParser.Parsed;
import io.deepstream.storage.listen.NotificationParser.Rejected;
import io.deepstream.storage.listen.NotificationParser.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NotificationParserTests {

	@Test
	void parsesRecordChanges() {
		assertThat(parsed("INSERT:cars:bmw")).isEqualTo(new Notification(ChangeKind.INSERT, "ds", "cars", "bmw"));
		assertThat(parsed("UPDATE:cars:bmw")).isEqualTo(new Notification(ChangeKind.UPDATE, "ds", "cars", "bmw"));
		assertThat(parsed("DELETE:cars:bmw")).isEqualTo(new Notification(ChangeKind.DELETE, "ds", "cars", "bmw"));
	}

	@Test
	void parsesTableChanges() {
		assertThat(parsed("CREATE_TABLE:cars")).isEqualTo(new Notification(ChangeKind.CREATE_TABLE, "ds", "cars", null));
		assertThat(parsed("DESTROY_TABLE:cars")).isEqualTo(new Notification(ChangeKind.DESTROY_TABLE, "ds", "cars", null));
	}

	@Test
	void theSchemaIsTheChannel() {
		assertThat(parsed("my schema", "INSERT:cars:bmw").schema()).isEqualTo("my schema");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = {
			"INSERT:plain:x:y          | plain | x:y",
			"INSERT:plain::            | plain | :",
			"INSERT:plain::x           | plain | :x",
			"UPDATE:t:a:b:c:d          | t     | a:b:c:d",
			"DELETE:t:urn:isbn:123     | t     | urn:isbn:123",
			"INSERT:t:it's             | t     | it's",
			"INSERT:t:a/b/c            | t     | a/b/c",
			"\"INSERT:t: spaced \"     | t     | \" spaced \"",
			"INSERT:t:ünïcødé:✓        | t     | ünïcødé:✓",
			"INSERT:Cars Table:1       | Cars Table | 1" })
	@SuppressWarnings("removal")
	void theIdIsEverythingAfterTheSecondColon(String payload, String table, String id) {
		Notification notification = parsed(payload);
		assertThat(notification.table()).isEqualTo(table);
		assertThat(notification.id()).isEqualTo(id);
		assertThat(notification.recordName()).isEqualTo(table + "/" + id);
		assertThat(notification.key()).as("the deprecated name").isEqualTo(table + "/" + id);
	}

	@Test
	void tableNamesAreTakenAsTheyAre() {
		assertThat(parsed("INSERT:t\"q:1").table()).isEqualTo("t\"q");
		assertThat(parsed("INSERT:default:1").table()).isEqualTo("default");
		assertThat(parsed("INSERT:ünï/cødé:1").table()).isEqualTo("ünï/cødé");
		String longest = "t".repeat(63);
		assertThat(parsed("INSERT:" + longest + ":1").table()).isEqualTo(longest);
	}

	@Test
	@SuppressWarnings("removal")
	void aTableChangeTakesAllOfTheRestAsTheTable() {
		// Unambiguous: no id follows. The reference could create such a table; this project cannot.
		assertThat(parsed("CREATE_TABLE:a:b").table()).isEqualTo("a:b");
		assertThat(parsed("DESTROY_TABLE:it's").table()).isEqualTo("it's");
		assertThat(parsed("CREATE_TABLE:a:b").recordName()).isNull();
		assertThat(parsed("CREATE_TABLE:a:b").key()).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = {
			"FOO:cars:1          | UNKNOWN_KIND",
			"insert:cars:1       | UNKNOWN_KIND",
			"Insert:cars:1       | UNKNOWN_KIND",
			"\" INSERT:cars:1\"  | UNKNOWN_KIND",
			"TRUNCATE:cars       | UNKNOWN_KIND",
			"hello               | UNKNOWN_KIND",
			"\"\"                | UNKNOWN_KIND",
			":cars:1             | UNKNOWN_KIND",
			"INSERT              | MISSING_TABLE",
			"CREATE_TABLE        | MISSING_TABLE",
			"CREATE_TABLE:       | MISSING_TABLE",
			"DESTROY_TABLE:      | MISSING_TABLE",
			"INSERT:             | MISSING_TABLE",
			"INSERT::1           | MISSING_TABLE",
			"DELETE::            | MISSING_TABLE",
			"INSERT:cars         | MISSING_ID",
			"UPDATE:cars         | MISSING_ID",
			"INSERT:cars:        | EMPTY_ID",
			"DELETE:cars:        | EMPTY_ID" })
	void rejectsWhatItDoesNotUnderstand(String payload, PayloadProblem problem) {
		Result result = NotificationParser.parse("ds", payload);
		assertThat(result).isEqualTo(new Rejected(payload, problem));
	}

	@Test
	void notificationsCarryAnIdExactlyForRecordChanges() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Notification(ChangeKind.INSERT, "ds", "cars", null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Notification(ChangeKind.CREATE_TABLE, "ds", "cars", "bmw"));
	}

	private static Notification parsed(String payload) {
		return parsed("ds", payload);
	}

	private static Notification parsed(String schema, String payload) {
		Result result = NotificationParser.parse(schema, payload);
		assertThat(result).isInstanceOf(Parsed.class);
		return ((Parsed) result).notification();
	}

}
