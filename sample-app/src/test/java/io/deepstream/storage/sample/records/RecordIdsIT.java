package io.deepstream.storage.sample.records;

import java.net.http.HttpResponse;
import java.util.List;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.sample.AbstractSampleIT;
import io.deepstream.storage.sample.Http;
import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any id the store accepts travels through the URL percent-encoded and arrives intact: encoded
 * slashes, quotes, colons, spaces, dots, percent signs and unicode, checked in the database row itself.
 */
class RecordIdsIT extends AbstractSampleIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	private Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port);
		// keeps the table alive when a test deletes its record (deleting a table's last record drops it)
		assertThat(this.http.put("/records/ids/keep", "{}").statusCode()).isEqualTo(204);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "a/b/c/", "/leading", "it's", "say \"hi\"", "with space", "a:b:c", "50%", "%2F",
			"a+b", "back\\slash", "semi;colon", "q?x=1&y=2", "hash#tag", "..", ".", "[x]{y}<z>", "tab\tand\nnewline",
			"\u00fcber \u65e5\u672c \u2713", "emoji \ud83d\ude00", "x' OR '1'='1" })
	void anIdRoundTripsThroughTheUrl(String id) {
		String path = "/records/ids/" + Http.encode(id);
		String value = json.writeValueAsString(List.of(id));

		assertThat(this.http.put(path + "?version=4", value).statusCode()).isEqualTo(204);
		assertThat(rowCount(id)).isOne();

		HttpResponse<String> get = this.http.get(path);
		assertThat(get.statusCode()).isEqualTo(200);
		assertThat(get.headers().firstValue("X-Record-Version")).hasValue("4");
		assertThat(json.readTree(get.body()).get(0).asString()).isEqualTo(id);

		JsonNode listed = json.readTree(this.http.get("/records/ids?limit=1000").body());
		assertThat(listed).extracting((record) -> record.get("id").asString()).contains(id);

		assertThat(this.http.delete(path).statusCode()).isEqualTo(204);
		assertThat(rowCount(id)).isZero();
	}

	@Test
	void aPlainSlashAfterTheTableIsPartOfTheIdToo() {
		assertThat(this.http.put("/records/paths/x/y/z", "1").statusCode()).isEqualTo(204);
		assertThat(this.http.get("/records/paths/x%2Fy%2Fz").body()).isEqualTo("1");
		assertThat(TestDatabase.get()
			.queryForLong("SELECT count(*) FROM " + Identifiers.qualify(this.schema, "paths") + " WHERE id = ?", "x/y/z"))
			.isOne();
	}

	@Test
	void tableNamesAreDecodedToo() {
		String table = "\u00fcber \"quoted\"";
		assertThat(this.http.put("/records/" + Http.encode(table) + "/x", "{}").statusCode()).isEqualTo(204);
		assertThat(json.readTree(this.http.get("/schema").body()).has(table)).isTrue();
		assertThat(this.http.get("/records/" + Http.encode(table)).body()).isEqualTo("[{\"id\":\"x\",\"version\":0,\"value\":{}}]");
	}

	private long rowCount(String id) {
		return TestDatabase.get()
			.queryForLong("SELECT count(*) FROM " + Identifiers.qualify(this.schema, "ids") + " WHERE id = ?", id);
	}

}
