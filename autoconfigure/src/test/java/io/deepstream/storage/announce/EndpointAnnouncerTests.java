package io.deepstream.storage.announce;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the thread announcing to one server ends: once its queue is closed and drained, interrupted or
 * not; and, after a failure it did not foresee, refusing names from then on rather than letting them
 * pile up unannounced.
 */
class EndpointAnnouncerTests {

	private final List<NamesGivenUp> givenUp = new CopyOnWriteArrayList<>();

	private final PendingNames queue = new PendingNames(10);

	private @Nullable Thread thread;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.thread != null) {
			this.thread.interrupt();
			this.thread.join();
		}
	}

	private EndpointAnnouncer announcer(String url) {
		AnnouncerOptions options = AnnouncerOptions.builder("http://127.0.0.1:9/api").build();
		NotifyClient client = new NotifyClient(NotifyClient.httpClient(options), JsonMapper.builder().build(), options);
		return new EndpointAnnouncer(URI.create(url), this.queue, client, options, this.givenUp::add);
	}

	private EndpointAnnouncer started(String url) {
		EndpointAnnouncer announcer = announcer(url);
		this.thread = new Thread(announcer, "endpoint-announcer-test");
		this.thread.start();
		return announcer;
	}

	@Test
	void theThreadEndsOnceItsQueueIsClosedAndDrainedWithoutBeingInterrupted() {
		started("http://127.0.0.1:9/api");
		this.queue.close();
		// an interrupt a listener swallowed, say: closing alone must end the (non-daemon) thread
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.thread.isAlive());
		assertThat(this.givenUp).isEmpty();
	}

	@Test
	void afterAnUnforeseenFailureTheThreadEndsAndNamesCommittedLaterAreRefusedNotLeftWaiting() {
		this.queue.add(List.of("t/a"));
		CompletableFuture<Void> announced = this.queue.announced(List.of("t/a"));
		// a URL the options refuse: the JDK's HTTP client throws, as a defect of ours might
		EndpointAnnouncer announcer = started("ftp://127.0.0.1/api");
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.thread.isAlive());
		assertThat(announced).isCompletedExceptionally();
		assertThat(this.queue.add(List.of("t/b"))).as("refused at once").isEqualTo(1);
		assertThat(this.queue.announced(List.of("t/b"))).isCompletedExceptionally();
		assertThat(this.givenUp).singleElement().satisfies((report) -> {
			assertThat(report.names()).containsExactly("t/a");
			assertThat(report.kind()).isEqualTo(FailureKind.CLOSED);
			assertThat(report.detail()).contains("IllegalArgumentException");
		});
		EndpointState state = announcer.state();
		assertThat(state.failing()).isTrue();
		assertThat(state.lastFailureDetail()).contains("IllegalArgumentException");
	}

}
