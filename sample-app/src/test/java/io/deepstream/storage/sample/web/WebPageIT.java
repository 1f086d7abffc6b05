package io.deepstream.storage.sample.web;

import java.net.http.HttpResponse;

import io.deepstream.storage.sample.AbstractSampleIT;
import io.deepstream.storage.sample.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser page is served at {@code /}, with its script and style, and the health endpoint shows
 * the storage.
 */
class WebPageIT extends AbstractSampleIT {

	@Test
	void thePageAndItsAssetsAreServed() {
		Http http = new Http(this.port);
		HttpResponse<String> page = http.get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<title>deepstream record browser</title>", "<script src=\"app.js\"></script>");

		HttpResponse<String> script = http.get("/app.js");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.body()).contains("new EventSource('events')", "getJson('schema')");
		assertThat(http.get("/app.css").statusCode()).isEqualTo(200);
	}

	@Test
	void healthShowsTheStorage() {
		HttpResponse<String> health = new Http(this.port).get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		JsonNode body = JsonMapper.builder().build().readTree(health.body());
		assertThat(body.get("status").asString()).isEqualTo("UP");
		JsonNode storage = body.at("/components/deepstreamStorage");
		assertThat(storage.get("status").asString()).as("the storage's own status").isEqualTo("UP");
		assertThat(storage.at("/details/database").asString()).isEqualTo("reachable");
		assertThat(storage.at("/details/listener").asString()).isEqualTo("connected");
		assertThat(storage.at("/details/schema").asString()).isEqualTo(this.schema);
	}

}
