package io.deepstream.storage.sample.records;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.sample.AbstractSampleIT;
import io.deepstream.storage.sample.Http;
import io.deepstream.storage.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API's 503 answers, caused for real: a write buffer of one write that fails when full, so that
 * a write stuck behind a table lock (held by another session) fills it, and no retries, so that the
 * stuck write's connection, once terminated, fails it for good. Nothing of either is stored.
 */
@TestPropertySource(properties = { "deepstream.storage.max-batch-size=1", "deepstream.storage.max-buffered-writes=1",
		"deepstream.storage.when-buffer-full=fail", "deepstream.storage.max-retries=0" })
class OverloadIT extends AbstractSampleIT {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aFullBufferAndATransientWriteFailureAre503WithAProblemBody() throws Exception {
		Http http = new Http(this.port);
		TestDatabase database = TestDatabase.get();
		String table = Identifiers.qualify(this.schema, "jam");
		assertThat(http.put("/records/jam/seed", "{}").statusCode()).isEqualTo(204);
		try (Connection blocker = database.connect()) {
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
			}
			// this write fills the buffer and waits for the lock
			CompletableFuture<HttpResponse<String>> stuck = http.client()
				.sendAsync(HttpRequest.newBuilder(http.uri("/records/jam/stuck"))
					.header("Content-Type", "application/json")
					.timeout(Duration.ofSeconds(30))
					.PUT(BodyPublishers.ofString("{\"n\":1}"))
					.build(), BodyHandlers.ofString());
			String waitingInsert = "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "
					+ table.replace("_", "\\_") + "%'";
			await().until(() -> database.queryForLong("SELECT count(*) FROM (" + waitingInsert + ") w") == 1);

			HttpResponse<String> full = http.put("/records/other/x", "{}");
			assertProblem(full, 503, "Too many writes waiting");
			assertThat(full.headers().firstValue("Retry-After")).hasValue("1");

			// the stuck write loses its connection: a transient failure, and no retries are left
			database.execute("SELECT pg_terminate_backend(pid) FROM (" + waitingInsert + ") w");
			HttpResponse<String> failed = stuck.get(30, TimeUnit.SECONDS);
			assertProblem(failed, 503, "The write was not committed");
			blocker.rollback();
		}
		assertThat(database.queryForLong("SELECT count(*) FROM " + table)).as("only the seed").isOne();
		assertThat(database.queryForLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = ?"
				+ " AND table_name = 'other'", this.schema)).isZero();
		assertThat(http.get("/records/jam/stuck").statusCode()).isEqualTo(404);
		// and writes are accepted again
		assertThat(http.put("/records/other/x", "{}").statusCode()).isEqualTo(204);
	}

	private static void assertProblem(HttpResponse<String> response, int status, String title) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isEqualTo(title);
		assertThat(problem.get("detail").asString()).isNotBlank();
	}

}
