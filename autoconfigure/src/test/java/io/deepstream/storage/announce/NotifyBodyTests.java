package io.deepstream.storage.announce;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notify body written straight to bytes is the JSON that Jackson would write: every name comes
 * back as it was, however it has to be escaped.
 */
class NotifyBodyTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void namesThatNeedEscapingComeBackAsTheyWere() {
		List<String> names = List.of("cars/bmw", "quote\"d", "back\\slash", "new\nline\ttab\u0000nul\u001f",
				"caf\u00e9/\u00fc", "\u20ac\u4e2d\u6587", "emoji/\ud83d\ude97", "lone\ud800high", "lone\udc00low",
				"end\ud83d", "/", "", "\u007f\u0080\u07ff\u0800\uffff");
		byte[] body = new NotifyBody(this.mapper, Map.of()).encode(names);
		JsonNode request = this.mapper.readTree(body);
		JsonNode message = request.get("body").get(0);
		assertThat(message.get("topic").asString()).isEqualTo("record");
		assertThat(message.get("action").asString()).isEqualTo("notify");
		List<String> decoded = new ArrayList<>();
		message.get("recordNames").forEach((name) -> decoded.add(name.asString()));
		assertThat(decoded).containsExactlyElementsOf(names);
		assertThat(request.size()).isEqualTo(1);
	}

	@Test
	void plainNamesAreWrittenAsJacksonWritesThem() {
		List<String> names = List.of("cars/bmw", "t0/r1", "caf\u00e9", "emoji/\ud83d\ude97", "q\"\\");
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("topic", "record");
		message.put("action", "notify");
		message.put("recordNames", names);
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("body", List.of(message));
		assertThat(new String(new NotifyBody(this.mapper, Map.of()).encode(names), StandardCharsets.UTF_8))
			.isEqualTo(this.mapper.writeValueAsString(request));
	}

	@Test
	void credentialsGoBesideTheBody() {
		Map<String, Object> credentials = new LinkedHashMap<>();
		credentials.put("authData", Map.of("username", "storage", "password", "s\"cret"));
		credentials.put("token", "t\u00f6ken");
		JsonNode request = this.mapper.readTree(new NotifyBody(this.mapper, credentials).encode(List.of("a/1")));
		assertThat(request.get("authData").get("username").asString()).isEqualTo("storage");
		assertThat(request.get("authData").get("password").asString()).isEqualTo("s\"cret");
		assertThat(request.get("token").asString()).isEqualTo("t\u00f6ken");
		assertThat(request.get("body").get(0).get("recordNames").get(0).asString()).isEqualTo("a/1");
	}

	@Test
	void namesOfEveryKindOfCharacterComeBackAsTheyWere() {
		char[] pool = { 'a', 'Z', '/', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u00e9', '\u07ff', '\u0800', '\u20ac',
				'\uffff', '\ud83d', '\ude97', '\udbff', '\udfff' };
		Random random = new Random(10);
		for (int round = 0; round < 50; round++) {
			List<String> names = new ArrayList<>();
			for (int i = 0; i < 1 + random.nextInt(40); i++) {
				StringBuilder name = new StringBuilder();
				for (int c = random.nextInt(30); c > 0; c--) {
					name.append(random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : (char) ('a' + random.nextInt(26)));
				}
				names.add(name.toString());
			}
			JsonNode request = this.mapper.readTree(new NotifyBody(this.mapper, Map.of()).encode(names));
			List<String> decoded = new ArrayList<>();
			request.get("body").get(0).get("recordNames").forEach((name) -> decoded.add(name.asString()));
			assertThat(decoded).containsExactlyElementsOf(names);
		}
	}

	@Test
	void aBodyLargerThanItsEstimateGrows() {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			names.add("\u0001\ud800" + i);
		}
		JsonNode request = this.mapper.readTree(new NotifyBody(this.mapper, Map.of()).encode(names));
		assertThat(request.get("body").get(0).get("recordNames").size()).isEqualTo(2000);
		assertThat(request.get("body").get(0).get("recordNames").get(1999).asString()).isEqualTo("\u0001\ud8001999");
	}

}
