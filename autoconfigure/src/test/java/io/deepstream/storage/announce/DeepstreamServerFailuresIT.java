package io.deepstream.storage.announce;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreOptions;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deepstream server that is down, refuses our credentials, refuses {@code notify} by a permission
 * rule, or is not a deepstream API at all: writes still commit at once, nothing hangs, and every name
 * is announced later or reported as given up on, never dropped in silence.
 */
@ExtendWith(TestSchema.class)
class DeepstreamServerFailuresIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static TestSchema.Name schema;

	private static HikariDataSource dataSource;

	private static DeepstreamServer server;

	@BeforeAll
	static void start(TestSchema.Name name) {
		schema = name;
		dataSource = TestDatabase.get().newDataSource(4);
		server = DeepstreamServer.start(name.value());
	}

	@AfterAll
	static void stop() {
		server.close();
		dataSource.close();
	}

	/** A store announcing through the given announcer, started; the caller closes both. */
	private static PostgresRecordStore storeWith(ServerAnnouncer announcer) {
		announcer.start();
		RecordStoreOptions options = RecordStoreOptions.builder().schema(schema.value()).writeInterval(Duration.ofMillis(20)).build();
		PostgresRecordStore store = new PostgresRecordStore(dataSource, MAPPER, options, announcer);
		store.start();
		return store;
	}

	private static AnnouncerOptions.Builder quickRetries(String url) {
		return AnnouncerOptions.builder(url).retryInitialBackoff(Duration.ofMillis(50)).retryMaxBackoff(Duration.ofMillis(200))
			.closeTimeout(Duration.ofSeconds(1));
	}

	@Test
	void writesCommitWhileTheServerIsDownAndAreAnnouncedOnceItIsBack() throws Exception {
		try (DeepstreamServer restarted = DeepstreamServer.start(schema.value());
				ServerAnnouncer announcer = new ServerAnnouncer(quickRetries(restarted.apiUrl()).giveUpAfter(Duration.ofMinutes(2)).build())) {
			PostgresRecordStore store = storeWith(announcer);
			try {
				restarted.stop();
				List<CompletableFuture<Void>> writes = new ArrayList<>();
				List<String> names = new ArrayList<>();
				for (int i = 0; i < 200; i++) {
					names.add("down/r" + i);
					writes.add(store.set("down/r" + i, 1, Map.of("n", i)));
				}
				CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
				CompletableFuture<Void> announced = announcer.announced(names);
				await().atMost(Duration.ofSeconds(10)).until(() -> announcer.state().get(0).failing());
				assertThat(announcer.state().get(0).lastFailure()).isEqualTo(FailureKind.UNREACHABLE);
				assertThat(announced).isNotDone();

				restarted.start();
				announced.get(30, TimeUnit.SECONDS);
				EndpointState state = announcer.state().get(0);
				assertThat(state.failing()).isFalse();
				assertThat(state.namesGivenUp()).isZero();
				assertThat(state.pendingNames()).isZero();
				try (DeepstreamTestClient client = new DeepstreamTestClient(restarted)) {
					assertThat(client.snapshot("down/r199")).isEqualTo(MAPPER.readTree("{\"n\":199}"));
				}
			}
			finally {
				store.close();
			}
		}
	}

	@Test
	void namesAServerCouldNotBeToldAboutWithinGiveUpAfterAreReportedAsGivenUp() throws Exception {
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort();
		}
		List<NamesGivenUp> givenUp = new CopyOnWriteArrayList<>();
		try (ServerAnnouncer announcer = new ServerAnnouncer(
				quickRetries("http://127.0.0.1:" + deadPort + "/api").giveUpAfter(Duration.ofMillis(500)).build())) {
			announcer.addListener(givenUp::add);
			PostgresRecordStore store = storeWith(announcer);
			try {
				List<String> names = List.of("gone/a", "gone/b", "gone/c");
				CompletableFuture.allOf(names.stream().map((name) -> store.set(name, 1, Map.of())).toArray(CompletableFuture[]::new))
					.get(10, TimeUnit.SECONDS);
				assertThat(announcer.announced(names)).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat().havingCause().isInstanceOf(AnnouncementFailedException.class)
					.withMessageContaining("UNREACHABLE");
				assertThat(givenUp).flatExtracting(NamesGivenUp::names).containsExactlyInAnyOrderElementsOf(names);
				assertThat(givenUp).allSatisfy((report) -> assertThat(report.kind()).isEqualTo(FailureKind.UNREACHABLE));
				assertThat(announcer.state().get(0).namesGivenUp()).isEqualTo(3);
			}
			finally {
				store.close();
			}
		}
	}

	@Test
	void wrongAuthDataIsReportedAsAnAuthenticationFailureAndRightAuthDataAnnounces() throws Exception {
		List<NamesGivenUp> givenUp = new CopyOnWriteArrayList<>();
		try (DeepstreamServer guarded = DeepstreamServer.start(schema.value(), "s3cret");
				ServerAnnouncer wrong = new ServerAnnouncer(quickRetries(guarded.apiUrl())
					.authData(Map.of("username", "announcer", "password", "wrong")).giveUpAfter(Duration.ofSeconds(1)).build());
				ServerAnnouncer right = new ServerAnnouncer(
						quickRetries(guarded.apiUrl()).authData(Map.of("username", "announcer", "password", "s3cret")).build())) {
			wrong.addListener(givenUp::add);
			wrong.start();
			right.start();
			wrong.announce(List.of("auth/a"));
			await().atMost(Duration.ofSeconds(10)).until(() -> !givenUp.isEmpty());
			assertThat(givenUp).singleElement().satisfies((report) -> {
				assertThat(report.kind()).isEqualTo(FailureKind.AUTHENTICATION);
				assertThat(report.names()).containsExactly("auth/a");
				assertThat(report.detail()).contains("401");
			});
			right.announce(List.of("auth/a"));
			right.announced("auth/a").get(10, TimeUnit.SECONDS);
			assertThat(right.state().get(0).namesAnnounced()).isEqualTo(1);
		}
	}

	@Test
	void namesAPermissionRuleRefusesAreGivenUpAloneWhileTheOthersOfTheSameRequestAreAnnounced() throws Exception {
		List<NamesGivenUp> givenUp = new CopyOnWriteArrayList<>();
		try (ServerAnnouncer announcer = new ServerAnnouncer(quickRetries(server.apiUrl()).build())) {
			announcer.addListener(givenUp::add);
			announcer.start();
			List<String> names = List.of("ok/a", "denied/x", "ok/b", "ok/c", "denied/y", "ok/d");
			announcer.announce(names);
			announcer.announced(List.of("ok/a", "ok/b", "ok/c", "ok/d")).get(10, TimeUnit.SECONDS);
			assertThat(announcer.announced("denied/x")).failsWithin(Duration.ofSeconds(10))
				.withThrowableThat().havingCause().isInstanceOf(AnnouncementFailedException.class).withMessageContaining("DENIED");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(givenUp).flatExtracting(NamesGivenUp::names)
				.containsExactlyInAnyOrder("denied/x", "denied/y"));
			assertThat(givenUp).allSatisfy((report) -> {
				assertThat(report.kind()).isEqualTo(FailureKind.DENIED);
				assertThat(report.detail()).contains("not permitted");
			});
			assertThat(announcer.state().get(0).namesAnnounced()).as("each allowed name once").isEqualTo(4);
		}
	}

	@Test
	void aRequestLargerThanTheServerTakesIsSplitUntilEveryNameIsAnnounced() throws Exception {
		// the server takes 1 MB at most: 4,000 names of 300 characters are 1.2 MB
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 4000; i++) {
			names.add("large/" + "x".repeat(300) + i);
		}
		List<NamesGivenUp> givenUp = new CopyOnWriteArrayList<>();
		try (ServerAnnouncer announcer = new ServerAnnouncer(quickRetries(server.apiUrl()).maxNamesPerRequest(4000).build())) {
			announcer.addListener(givenUp::add);
			announcer.start();
			announcer.announce(names);
			announcer.announced(names).get(10, TimeUnit.SECONDS);
			EndpointState state = announcer.state().get(0);
			assertThat(state.namesAnnounced()).isEqualTo(4000);
			assertThat(state.requests()).as("the halves").isEqualTo(2);
			assertThat(state.failedRequests()).isEqualTo(1);
			assertThat(givenUp).isEmpty();
		}
	}

	@Test
	void anEndpointThatIsNotADeepstreamApiIsReportedAsSuch() {
		String wrongPath = server.apiUrl().replace("/api", "/not-the-api");
		try (ServerAnnouncer announcer = new ServerAnnouncer(quickRetries(wrongPath).build())) {
			announcer.start();
			announcer.announce(List.of("lost/a"));
			await().atMost(Duration.ofSeconds(10)).until(() -> announcer.state().get(0).lastFailure() != null);
			EndpointState state = announcer.state().get(0);
			assertThat(state.failing()).isTrue();
			assertThat(state.lastFailure()).isEqualTo(FailureKind.NOT_DEEPSTREAM_API);
			assertThat(state.lastFailureDetail()).contains("404");
		}
	}

}
