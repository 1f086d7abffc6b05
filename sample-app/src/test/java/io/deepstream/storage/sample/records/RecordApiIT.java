package io.deepstream.storage.sample.records;

import java.net.http.HttpResponse;
import java.util.Map;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.sample.AbstractSampleIT;
import io.deepstream.storage.sample.Http;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP contract of the records against PostgreSQL: write, read with its version, delete, the
 * default table, the schema overview and the table listing; 404 for what is absent, and 400 with a
 * problem body, and nothing written, for invalid names and bodies.
 */
class RecordApiIT extends AbstractSampleIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private PostgresRecordStore store;

	private Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
	}

	@Test
	void putStoresTheValueAndGetReturnsItWithItsVersion() {
		HttpResponse<String> put = this.http.put("/records/cars/bmw?version=3", "{\"color\":\"blue\",\"price\":1.10}");
		assertThat(put.statusCode()).isEqualTo(204);
		assertThat(rowCount("cars", "bmw")).isOne(); // committed when the answer came

		HttpResponse<String> get = this.http.get("/records/cars/bmw");
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(get.headers().firstValue("X-Record-Version")).hasValue("3");
		assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		assertThat(get.body()).isEqualTo("{\"color\":\"blue\",\"price\":1.10}");
		assertThat(this.store.get("cars/bmw").version()).isEqualTo(3);
	}

	@Test
	void theVersionDefaultsToZeroAndAPutReplacesTheRecord() {
		assertThat(this.http.put("/records/bikes/x", "[1,2]").statusCode()).isEqualTo(204);
		assertThat(this.http.get("/records/bikes/x").headers().firstValue("X-Record-Version")).hasValue("0");
		assertThat(this.http.put("/records/bikes/x?version=7", "\"text\"").statusCode()).isEqualTo(204);
		HttpResponse<String> get = this.http.get("/records/bikes/x");
		assertThat(get.body()).isEqualTo("\"text\"");
		assertThat(get.headers().firstValue("X-Record-Version")).hasValue("7");
	}

	@Test
	void aConditionalPutAppliesAtTheExpectedVersionAndAnswers409WithTheCurrentRecordOtherwise() {
		assertThat(this.http.put("/records/cas/a?expected-version=-1", "{\"n\":0}").statusCode()).isEqualTo(204);
		assertThat(this.http.get("/records/cas/a").headers().firstValue("X-Record-Version")).hasValue("0");
		assertThat(this.http.put("/records/cas/a?expected-version=0", "{\"n\":1}").statusCode()).isEqualTo(204);
		assertThat(this.http.get("/records/cas/a").headers().firstValue("X-Record-Version")).hasValue("1");
		HttpResponse<String> stale = this.http.put("/records/cas/a?expected-version=0", "{\"n\":\"stale\"}");
		assertThat(stale.statusCode()).isEqualTo(409);
		assertThat(stale.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		tools.jackson.databind.JsonNode problem = JsonMapper.builder().build().readTree(stale.body());
		assertThat(problem.get("status").asInt()).isEqualTo(409);
		assertThat(problem.get("currentVersion").asInt()).isEqualTo(1);
		assertThat(problem.get("currentValue").toString()).isEqualTo("{\"n\":1}");
		HttpResponse<String> get = this.http.get("/records/cas/a");
		assertThat(get.body()).isEqualTo("{\"n\":1}");
		assertThat(get.headers().firstValue("X-Record-Version")).hasValue("1");
	}

	@Test
	void aBodyIsJsonWhateverItsContentTypeSays() {
		assertThat(this.http.put("/records/forms/x", "{\"a\":1}", "application/x-www-form-urlencoded").statusCode())
			.isEqualTo(204);
		assertThat(this.http.get("/records/forms/x").body()).isEqualTo("{\"a\":1}");
	}

	@Test
	void deleteRemovesTheRecordOnceCommitted() {
		this.http.put("/records/trash/a", "{}");
		this.http.put("/records/trash/b", "{}");
		assertThat(this.http.delete("/records/trash/a").statusCode()).isEqualTo(204);
		assertThat(rowCount("trash", "a")).isZero();
		assertThat(this.http.get("/records/trash/a").statusCode()).isEqualTo(404);
		assertThat(this.http.get("/records/trash/b").statusCode()).isEqualTo(200);
		// deleting what is not there is still done
		assertThat(this.http.delete("/records/trash/never").statusCode()).isEqualTo(204);
	}

	@Test
	void anAbsentRecordIs404WithAProblemBody() {
		this.http.put("/records/some/here", "{}");
		for (String path : new String[] { "/records/some/absent", "/records/nosuchtable/absent" }) {
			HttpResponse<String> get = this.http.get(path);
			assertThat(get.statusCode()).isEqualTo(404);
			assertProblem(get, 404);
		}
	}

	@Test
	void theDefaultTableAddressesNamesWithoutSlash() {
		assertThat(this.http.put("/records/default/plain", "{\"n\":1}").statusCode()).isEqualTo(204);
		assertThat(this.store.get("plain").value()).isEqualTo(json.readTree("{\"n\":1}"));
		assertThat(rowCount("default", "plain")).isOne();

		this.store.set("bare", 2, Map.of("n", 2)).join();
		HttpResponse<String> get = this.http.get("/records/default/bare");
		assertThat(get.body()).isEqualTo("{\"n\":2}");
		assertThat(get.headers().firstValue("X-Record-Version")).hasValue("2");

		// an id with a slash stays in the default table
		assertThat(this.http.put("/records/default/a%2Fb", "{}").statusCode()).isEqualTo(204);
		assertThat(rowCount("default", "a/b")).isOne();
	}

	@Test
	void schemaMapsEveryTableToItsRowCount() {
		this.http.put("/records/counted/a", "{}");
		this.http.put("/records/counted/b", "{}");
		HttpResponse<String> schema = this.http.get("/schema");
		assertThat(schema.statusCode()).isEqualTo(200);
		JsonNode tables = json.readTree(schema.body());
		assertThat(tables.get("counted").asLong()).isEqualTo(2);
		// every table with its count, as the store sees them (other tests of the class write too)
		Map<String, Long> overview = this.store.getSchemaOverview();
		assertThat(overview).containsEntry("counted", 2L);
		assertThat(tables.propertyNames()).containsExactlyInAnyOrderElementsOf(overview.keySet());
		overview.forEach((table, rows) -> assertThat(tables.get(table).asLong()).as(table).isEqualTo(rows));
	}

	@Test
	void aTableListsItsRecordsInIdOrder() {
		this.http.put("/records/listed/b?version=2", "{\"b\":true}");
		this.http.put("/records/listed/a%2Fz", "[1]");
		JsonNode records = json.readTree(this.http.get("/records/listed").body());
		assertThat(records).isEqualTo(json.readTree(
				"[{\"id\":\"a/z\",\"version\":0,\"value\":[1]},{\"id\":\"b\",\"version\":2,\"value\":{\"b\":true}}]"));
		assertThat(this.http.get("/records/listed?limit=1").body()).isEqualTo("[{\"id\":\"a/z\",\"version\":0,\"value\":[1]}]");
		assertThat(this.http.get("/records/nothing-here").body()).isEqualTo("[]");
		assertProblem(this.http.get("/records/a:b"), 400);
		assertProblem(this.http.get("/records/listed?limit=0"), 400);
	}

	@Test
	void aTextThatIsNotJsonIsListedAsAString() {
		this.http.put("/records/handmade/a", "{}");
		TestDatabase.get().execute("INSERT INTO " + Identifiers.qualify(this.schema, "handmade") + " (id, version, val) VALUES (?, 1, ?)",
				"b", "not { json");
		assertThat(json.readTree(this.http.get("/records/handmade").body()).get(1).get("value").asString()).isEqualTo("not { json");
	}

	@Test
	void aWriteThatCannotBeCommittedIsAnErrorWithAProblemBody() {
		// a table of the right name but the wrong shape: the upsert fails in the database
		TestDatabase.get().execute("CREATE TABLE " + Identifiers.qualify(this.schema, "misshapen")
				+ " (id text PRIMARY KEY, version int, val int)");
		HttpResponse<String> put = this.http.put("/records/misshapen/x", "{}");
		assertProblem(put, 500);
		assertThat(json.readTree(put.body()).get("title").asString()).isEqualTo("The write was not committed");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', value = {
			"table with a colon | /records/a:b/x | {}",
			"encoded colon | /records/a%3Ab/x | {}",
			"table of 64 bytes | /records/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x | {}",
			"table of 66 bytes of UTF-8 | /records/%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93%E2%9C%93/x | {}",
			"table with an encoded slash | /records/a%2Fb/x | {}",
			"empty id | /records/valid/ | {}",
			"body not JSON | /records/valid/x | not json",
			"body with trailing text | /records/valid/x | {} {}",
			"unfinished body | /records/valid/x | `{\"a\":`",
			"body null | /records/valid/x | null",
			"empty body | /records/valid/x | ``",
			"version not a number | /records/valid/x?version=abc | {}" })
	void invalidInputIs400AndWritesNothing(String description, String path, String body) {
		this.http.put("/records/valid/existing", "{}");
		Map<String, Long> before = this.store.getSchemaOverview();

		HttpResponse<String> put = this.http.put(path, body);

		assertThat(put.statusCode()).as(description).isEqualTo(400);
		assertProblem(put, 400);
		this.store.flush().join();
		assertThat(this.store.getSchemaOverview()).isEqualTo(before);
		assertThat(rowCount("valid", "x")).isZero();
	}

	private void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("detail").asString()).isNotBlank();
	}

	private long rowCount(String table, String id) {
		TestDatabase database = TestDatabase.get();
		if (database.queryForLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
				this.schema, table) == 0) {
			return 0;
		}
		return database.queryForLong("SELECT count(*) FROM " + Identifiers.qualify(this.schema, table) + " WHERE id = ?", id);
	}

}
