package io.deepstream.storage.listen;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SubscriptionsTests {

	private final Subscriptions subscriptions = new Subscriptions();

	private final Consumer<Notification> a = (notification) -> {
	};

	private final Consumer<Notification> b = (notification) -> {
	};

	@Test
	void aNewSchemaWaitsForItsListen() {
		CompletableFuture<Void> future = this.subscriptions.add("s1", this.a);
		assertThat(future).isNotDone();
		Subscriptions.Plan plan = this.subscriptions.plan();
		assertThat(plan.toListen()).containsExactly("s1");
		assertThat(plan.toUnlisten()).isEmpty();
		this.subscriptions.listened("s1");
		assertThat(future).isCompleted();
		assertThat(this.subscriptions.listening()).containsExactly("s1");
		assertThat(this.subscriptions.plan().isEmpty()).isTrue();
	}

	@Test
	void aSchemaAlreadyListenedCompletesAtOnce() {
		this.subscriptions.add("s1", this.a);
		this.subscriptions.plan();
		this.subscriptions.listened("s1");
		assertThat(this.subscriptions.add("s1", this.b)).isCompleted();
		assertThat(this.subscriptions.subscribers("s1")).containsExactly(this.a, this.b);
	}

	@Test
	void subscribingTwiceKeepsOneSubscription() {
		this.subscriptions.add("s1", this.a);
		this.subscriptions.add("s1", this.a);
		assertThat(this.subscriptions.subscribers("s1")).containsExactly(this.a);
	}

	@Test
	void theLastSubscriberGoingUnlistensAndTheChannelStopsCountingAtOnce() {
		this.subscriptions.add("s1", this.a);
		this.subscriptions.add("s1", this.b);
		this.subscriptions.plan();
		this.subscriptions.listened("s1");
		assertThat(this.subscriptions.remove("s1", this.a)).isTrue();
		assertThat(this.subscriptions.plan().isEmpty()).isTrue();
		assertThat(this.subscriptions.remove("s1", this.b)).isTrue();
		assertThat(this.subscriptions.remove("s1", this.b)).isFalse();
		Subscriptions.Plan plan = this.subscriptions.plan();
		assertThat(plan.toUnlisten()).containsExactly("s1");
		// not "listening" any more, so a new subscriber waits for a new LISTEN instead of trusting this one
		assertThat(this.subscriptions.listening()).isEmpty();
		// but still LISTENed on the connection until the UNLISTEN has run
		assertThat(this.subscriptions.channels()).containsExactly("s1");
		this.subscriptions.unlistened("s1");
		assertThat(this.subscriptions.channels()).isEmpty();
		CompletableFuture<Void> again = this.subscriptions.add("s1", this.a);
		assertThat(again).isNotDone();
		assertThat(this.subscriptions.plan().toListen()).containsExactly("s1");
	}

	@Test
	void removeAllRemovesEverySubscriberOfOneSchema() {
		this.subscriptions.add("s1", this.a);
		this.subscriptions.add("s2", this.a);
		this.subscriptions.add("s2", this.b);
		this.subscriptions.removeAll("s2");
		assertThat(this.subscriptions.subscribers("s2")).isEmpty();
		assertThat(this.subscriptions.subscribers("s1")).containsExactly(this.a);
		assertThat(this.subscriptions.plan().toListen()).containsExactly("s1");
	}

	@Test
	void aSubscriptionWithdrawnBeforeItsListenIsCancelled() {
		CompletableFuture<Void> future = this.subscriptions.add("s1", this.a);
		this.subscriptions.remove("s1", this.a);
		assertThat(this.subscriptions.plan().toListen()).isEmpty();
		assertThat(future).isCancelled();
	}

	@Test
	void aLostConnectionForgetsItsListens() {
		this.subscriptions.add("s1", this.a);
		this.subscriptions.add("s2", this.b);
		this.subscriptions.plan();
		this.subscriptions.listened("s1");
		this.subscriptions.listened("s2");
		assertThat(this.subscriptions.connectionLost()).containsExactlyInAnyOrder("s1", "s2");
		assertThat(this.subscriptions.listening()).isEmpty();
		assertThat(this.subscriptions.plan().toListen()).containsExactlyInAnyOrder("s1", "s2");
	}

	@Test
	void closingFailsWaitingFuturesAndRefusesNewSubscribers() {
		CompletableFuture<Void> future = this.subscriptions.add("s1", this.a);
		this.subscriptions.close();
		assertThat(future).isCompletedExceptionally();
		assertThatIllegalStateException().isThrownBy(() -> this.subscriptions.add("s1", this.a));
	}

	@Test
	void subscriberListsAreSnapshotsForIteration() {
		this.subscriptions.add("s1", this.a);
		this.subscriptions.add("s1", this.b);
		int seen = 0;
		for (Consumer<Notification> callback : this.subscriptions.subscribers("s1")) {
			this.subscriptions.remove("s1", this.b); // as a callback unsubscribing during delivery
			seen++;
		}
		assertThat(seen).isEqualTo(2);
		assertThat(this.subscriptions.subscribers("s1")).containsExactly(this.a);
	}

}
