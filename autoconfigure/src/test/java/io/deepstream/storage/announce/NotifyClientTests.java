package io.deepstream.storage.announce;

import java.net.http.HttpClient;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How answers of a deepstream HTTP API (as a 7.0.2 server gives them) and of things that are not one
 * are classified.
 */
class NotifyClientTests {

	private final NotifyClient client = new NotifyClient(HttpClient.newHttpClient(), JsonMapper.builder().build(),
			AnnouncerOptions.builder("http://localhost:6020/api").build());

	@Test
	void successIsAnnounced() {
		assertThat(this.client.classify(200, "{\"result\":\"SUCCESS\",\"body\":[{\"success\":true}]}"))
			.isEqualTo(NotifyOutcome.ANNOUNCED);
	}

	@Test
	void aPermissionRefusalIsDenied() {
		String body = "{\"result\":\"FAILURE\",\"body\":[{\"errorTopic\":\"record\",\"errorEvent\":115,\"success\":false,"
				+ "\"action\":2,\"error\":\"Message denied. Action \\\"NOTIFY\\\" is not permitted.\"}]}";
		assertThat(this.client.classify(200, body)).isEqualTo(new NotifyOutcome.Failed(FailureKind.DENIED,
				"Message denied. Action \"NOTIFY\" is not permitted."));
	}

	@Test
	void refusedCredentialsAreAnAuthenticationFailure() {
		assertThat(kind(401, "Unsuccessful authentication attempt.")).isEqualTo(FailureKind.AUTHENTICATION);
		assertThat(kind(400, "Invalid message: the \"authData\" parameter must be an object")).isEqualTo(FailureKind.AUTHENTICATION);
		assertThat(kind(400, "Authentication using authData is disabled. Try using a token instead.")).isEqualTo(FailureKind.AUTHENTICATION);
	}

	@Test
	void answersThatNoDeepstreamApiGivesAreReportedAsSuch() {
		assertThat(kind(404, "Endpoint not found.")).isEqualTo(FailureKind.NOT_DEEPSTREAM_API);
		assertThat(kind(415, "Invalid \"Content-Type\" header.")).isEqualTo(FailureKind.NOT_DEEPSTREAM_API);
		assertThat(kind(200, "<html><body>Welcome to nginx!</body></html>")).isEqualTo(FailureKind.NOT_DEEPSTREAM_API);
		assertThat(kind(200, "{\"status\":\"UP\"}")).isEqualTo(FailureKind.NOT_DEEPSTREAM_API);
		assertThat(kind(200, "[1,2,3]")).isEqualTo(FailureKind.NOT_DEEPSTREAM_API);
	}

	@Test
	void serverErrorsAndOtherRefusalsAreRetriedKinds() {
		assertThat(kind(502, "Bad Gateway")).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(kind(400, "Failed to parse JIF object at index 0.")).isEqualTo(FailureKind.REJECTED);
		assertThat(kind(200, "{\"result\":\"FAILURE\",\"body\":[{\"success\":false,\"errorEvent\":3,\"error\":\"timeout\"}]}"))
			.isEqualTo(FailureKind.REJECTED);
		assertThat(FailureKind.SERVER_ERROR.isRetried()).isTrue();
		assertThat(FailureKind.DENIED.isRetried()).isFalse();
	}

	@Test
	void aRequestLargerThanTheServerTakesIsRejectedAsTooLarge() {
		NotifyOutcome deepstream = this.client.classify(400, "Failed to parse body of request: request entity too large");
		assertThat(deepstream).isInstanceOfSatisfying(NotifyOutcome.Failed.class, (failed) -> {
			assertThat(failed.kind()).isEqualTo(FailureKind.REJECTED);
			assertThat(NotifyClient.tooLarge(failed)).isTrue();
		});
		NotifyOutcome proxy = this.client.classify(413, "<html>Request Entity Too Large</html>");
		assertThat(proxy).isInstanceOfSatisfying(NotifyOutcome.Failed.class,
				(failed) -> assertThat(NotifyClient.tooLarge(failed)).isTrue());
		NotifyOutcome unparsable = this.client.classify(400, "Failed to parse JIF object at index 0.");
		assertThat(unparsable).isInstanceOfSatisfying(NotifyOutcome.Failed.class,
				(failed) -> assertThat(NotifyClient.tooLarge(failed)).isFalse());
		NotifyOutcome named = this.client.classify(200, "{\"result\":\"FAILURE\",\"body\":[{\"success\":false,"
				+ "\"error\":\"HTTP 400 request entity too large: \"}]}");
		assertThat(named).isInstanceOfSatisfying(NotifyOutcome.Failed.class,
				(failed) -> assertThat(NotifyClient.tooLarge(failed)).isFalse());
	}

	private FailureKind kind(int status, String body) {
		NotifyOutcome outcome = this.client.classify(status, body);
		assertThat(outcome).isInstanceOf(NotifyOutcome.Failed.class);
		return ((NotifyOutcome.Failed) outcome).kind();
	}

}
