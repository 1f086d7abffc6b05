package io.deepstream.storage.announce;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names an announcer can no longer send are reported, never dropped: those still waiting when it
 * closes, and those committed after it closed.
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

}
