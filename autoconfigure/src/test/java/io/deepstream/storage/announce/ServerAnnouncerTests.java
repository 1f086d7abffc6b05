package io.deepstream.storage.announce;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Names an announcer can no longer send are reported, never dropped: those still waiting when it
 * closes, those committed after it closed, and those given up on while a listener fails.
 */
class ServerAnnouncerTests {

	private final List<NamesGivenUp> givenUp = new CopyOnWriteArrayList<>();

	private ServerAnnouncer announcer() {
		// never started: nothing is sent, so no server is needed
		ServerAnnouncer announcer = new ServerAnnouncer(
				AnnouncerOptions.builder("http://127.0.0.1:9/api").closeTimeout(Duration.ofMillis(50)).build());
		announcer.addListener(this.givenUp::add);
		return announcer;
	}

	/** A started announcer for a port nothing listens on, giving names up quickly. */
	private static ServerAnnouncer startedForADeadPort() throws IOException {
		int deadPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			deadPort = socket.getLocalPort();
		}
		ServerAnnouncer announcer = new ServerAnnouncer(AnnouncerOptions.builder("http://127.0.0.1:" + deadPort + "/api")
			.retryInitialBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(20)).giveUpAfter(Duration.ofMillis(50))
			.closeTimeout(Duration.ofMillis(50)).build());
		announcer.start();
		return announcer;
	}

	@Test
	void namesStillWaitingAtCloseAreReportedAsClosed() {
		ServerAnnouncer announcer = announcer();
		announcer.recordsCommitted("cars", List.of("bmw", "audi"));
		announcer.close();
		assertThat(this.givenUp).singleElement().satisfies((report) -> {
			assertThat(report.kind()).isEqualTo(FailureKind.CLOSED);
			assertThat(report.names()).containsExactly("cars/bmw", "cars/audi");
		});
		assertThat(announcer.state().get(0).namesGivenUp()).isEqualTo(2);
	}

	@Test
	void namesBeyondTheBoundAreReportedByTheCommittingThreadOnceAsManyWaitForAReport() {
		ServerAnnouncer announcer = new ServerAnnouncer(AnnouncerOptions.builder("http://127.0.0.1:9/api")
			.maxNamesPerRequest(2).maxPendingNames(2).closeTimeout(Duration.ofMillis(50)).build());
		announcer.addListener(this.givenUp::add);
		announcer.recordsCommitted("t", List.of("a", "b", "c"));
		assertThat(this.givenUp).as("one name over the bound waits for the server's thread").isEmpty();
		announcer.recordsCommitted("t", List.of("d"));
		assertThat(this.givenUp).singleElement().satisfies((report) -> {
			assertThat(report.kind()).isEqualTo(FailureKind.QUEUE_FULL);
			assertThat(report.names()).containsExactly("t/c", "t/d");
		});
		announcer.close();
	}

	@Test
	void namesCommittedAfterCloseAreReportedAtOnce() {
		ServerAnnouncer announcer = announcer();
		announcer.close();
		announcer.recordsCommitted("cars", List.of("late"));
		assertThat(this.givenUp).singleElement().satisfies((report) -> {
			assertThat(report.kind()).isEqualTo(FailureKind.CLOSED);
			assertThat(report.names()).containsExactly("cars/late");
		});
		assertThat(announcer.announced("cars/late")).isCompletedExceptionally();
	}

	@Test
	void aListenerThatThrowsKeepsNoOtherListenerFromHearing() throws Exception {
		try (ServerAnnouncer announcer = startedForADeadPort()) {
			announcer.addListener((report) -> {
				throw new IllegalStateException("a listener's own failure");
			});
			announcer.addListener(this.givenUp::add);
			announcer.announce(List.of("t/a"));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.givenUp).singleElement()
				.satisfies((report) -> assertThat(report.names()).containsExactly("t/a")));
		}
	}

	@Test
	void aListenerThatThrowsAnErrorStopsNeitherTheWaitsForTheNamesItWasToldAboutNorTheAnnouncer() throws Exception {
		try (ServerAnnouncer announcer = startedForADeadPort()) {
			announcer.addListener((report) -> {
				throw new AssertionError("a listener's own failure");
			});
			announcer.addListener(this.givenUp::add);
			announcer.announce(List.of("t/a"));
			assertThat(announcer.announced("t/a")).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause()
				.isInstanceOf(AnnouncementFailedException.class).withMessageContaining("UNREACHABLE");
			announcer.announce(List.of("t/b"));
			assertThat(announcer.announced("t/b")).as("the announcer goes on").failsWithin(Duration.ofSeconds(10));
			assertThat(this.givenUp).flatExtracting(NamesGivenUp::names).containsExactly("t/a", "t/b");
		}
	}

}
