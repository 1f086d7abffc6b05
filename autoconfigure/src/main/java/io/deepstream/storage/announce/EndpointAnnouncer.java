package io.deepstream.storage.announce;

import java.net.URI;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the names waiting for one deepstream server, on a thread of its own: takes the oldest
 * names (up to {@code maxNamesPerRequest}; names committed while a request is under way go together
 * in the next), sends one {@code notify}, and on failure pauses with capped exponential backoff and
 * sends the same names again, until they are older than {@code giveUpAfter}. A permission refusal is
 * narrowed down by halving the request until the refused names stand alone; only they are given up
 * on. A request larger than the server takes is halved too, and the halves sent at once. Logs state
 * changes, not requests.
 */
final class EndpointAnnouncer implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(EndpointAnnouncer.class);

	/** How many given-up names a log line shows. */
	private static final int NAMES_IN_LOG = 5;

	private static final String CLOSED_DETAIL = "the announcer closed before these names could be announced";

	private final URI url;

	private final PendingNames queue;

	private final NotifyClient client;

	private final AnnouncerOptions options;

	private final Consumer<NamesGivenUp> reporter;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong failedRequests = new AtomicLong();

	private final AtomicLong namesAnnounced = new AtomicLong();

	private final AtomicLong namesGivenUp = new AtomicLong();

	private volatile boolean failing;

	private volatile @Nullable FailureKind lastFailure;

	private volatile @Nullable String lastFailureDetail;

	private volatile @Nullable Instant lastSuccess;

	/** Kinds of give-up already logged at WARN since the server last answered; guarded by this. */
	private final Set<FailureKind> loggedGiveUps = EnumSet.noneOf(FailureKind.class);

	private int consecutiveFailures;

	EndpointAnnouncer(URI url, PendingNames queue, NotifyClient client, AnnouncerOptions options,
			Consumer<NamesGivenUp> reporter) {
		this.url = url;
		this.queue = queue;
		this.client = client;
		this.options = options;
		this.reporter = reporter;
	}

	/**
	 * Announces until interrupted, or until the queue is closed and nothing is left to send (so that
	 * an interrupt a listener swallowed cannot keep this non-daemon thread alive). Whatever it ends
	 * with, the queue is closed: names committed later are given up on at once, never left waiting.
	 */
	@Override
	public void run() {
		Deque<List<PendingNames.Entry>> work = new ArrayDeque<>();
		String detail = CLOSED_DETAIL;
		try {
			while (!Thread.currentThread().isInterrupted()) {
				reportOverflow();
				List<PendingNames.Entry> chunk = this.queue.take(this.options.maxNamesPerRequest(), TimeUnit.SECONDS.toNanos(1));
				if (!chunk.isEmpty()) {
					work.push(chunk);
					announce(work);
				}
				else if (this.queue.isClosedAndEmpty()) {
					break;
				}
			}
		}
		catch (InterruptedException ex) {
			// closing: what is left is given up on below
		}
		catch (RuntimeException | Error ex) {
			// a defect of ours, or the JVM's: retrying could fail the same way forever, and a thread that
			// ends leaving the queue open would leave names piling up and their waits hanging
			detail = "the announcer stopped after an unexpected failure: " + ex;
			logger.error("Stopped announcing to the deepstream server at {} after an unexpected failure; names "
					+ "committed from now on are given up on", this.url, ex);
			this.failing = true;
			this.lastFailure = FailureKind.CLOSED;
			this.lastFailureDetail = detail;
		}
		finally {
			this.queue.close();
			List<PendingNames.Entry> inFlight = new ArrayList<>();
			work.forEach(inFlight::addAll);
			if (!inFlight.isEmpty()) {
				giveUp(inFlight, FailureKind.CLOSED, detail);
			}
			giveUpRemaining(detail);
		}
	}

	/**
	 * Gives up on whatever is still queued, reporting it as {@link FailureKind#CLOSED}: for an
	 * announcer whose thread has ended (or never started) while names were still waiting.
	 */
	void giveUpRemaining() {
		giveUpRemaining(CLOSED_DETAIL);
	}

	private void giveUpRemaining(String detail) {
		List<PendingNames.Entry> left = this.queue.takeAll();
		if (!left.isEmpty()) {
			giveUp(left, FailureKind.CLOSED, detail);
		}
		reportOverflow();
	}

	/** Sends the chunks on the stack until it is empty. */
	private void announce(Deque<List<PendingNames.Entry>> work) throws InterruptedException {
		while (!work.isEmpty()) {
			List<PendingNames.Entry> part = work.peek();
			NotifyOutcome outcome = this.client.notify(this.url, nameView(part));
			if (outcome instanceof NotifyOutcome.Failed failed) {
				this.failedRequests.incrementAndGet();
				if (failed.kind() == FailureKind.DENIED) {
					work.pop();
					narrowDown(part, failed, work);
				}
				else if (NotifyClient.tooLarge(failed) && part.size() > 1) {
					// larger than the server takes: the halves go at once, without a pause
					work.pop();
					split(part, work);
				}
				else {
					failedAgain(part, failed, work);
				}
			}
			else {
				work.pop();
				succeeded(part);
			}
			reportOverflow();
		}
	}

	/** A permission rule refused a name of the request: halve it, or give up on the name it was. */
	private void narrowDown(List<PendingNames.Entry> part, NotifyOutcome.Failed failed, Deque<List<PendingNames.Entry>> work) {
		if (part.size() == 1) {
			giveUp(part, FailureKind.DENIED, failed.detail());
			return;
		}
		split(part, work);
	}

	/** Replaces a request by its two halves, the first half first. */
	private static void split(List<PendingNames.Entry> part, Deque<List<PendingNames.Entry>> work) {
		int half = part.size() / 2;
		work.push(new ArrayList<>(part.subList(half, part.size())));
		work.push(new ArrayList<>(part.subList(0, half)));
	}

	private void failedAgain(List<PendingNames.Entry> part, NotifyOutcome.Failed failed,
			Deque<List<PendingNames.Entry>> work) throws InterruptedException {
		if (!this.failing || failed.kind() != this.lastFailure) {
			logger.warn("Cannot announce changed records to the deepstream server at {} ({}: {}); retrying, {} names wait "
					+ "and are given up on after {}", this.url, failed.kind(), failed.detail(), this.queue.size(),
					this.options.giveUpAfter());
		}
		this.failing = true;
		this.lastFailure = failed.kind();
		this.lastFailureDetail = failed.detail();
		long now = System.nanoTime();
		long giveUpNanos = this.options.giveUpAfter().toNanos();
		List<PendingNames.Entry> expired = new ArrayList<>();
		List<PendingNames.Entry> retried = new ArrayList<>(part.size());
		for (PendingNames.Entry entry : part) {
			((now - entry.queuedNanos >= giveUpNanos) ? expired : retried).add(entry);
		}
		work.pop();
		if (!retried.isEmpty()) {
			work.push(retried);
		}
		// names that waited behind this request as long are given up on too, without a request each
		expired.addAll(this.queue.takeOlderThan(giveUpNanos));
		if (!expired.isEmpty()) {
			giveUp(expired, failed.kind(), failed.detail());
		}
		this.consecutiveFailures++;
		long initial = this.options.retryInitialBackoff().toNanos();
		long max = this.options.retryMaxBackoff().toNanos();
		long backoff = Math.min(max, initial << Math.min(this.consecutiveFailures - 1, 20));
		long deadline = System.nanoTime() + backoff;
		for (long left = backoff; left > 0; left = deadline - System.nanoTime()) {
			this.queue.pause(left);
			reportOverflow();
		}
	}

	private void succeeded(List<PendingNames.Entry> part) {
		if (this.failing) {
			logger.info("The deepstream server at {} takes announcements again; {} names wait", this.url, this.queue.size());
		}
		this.failing = false;
		this.consecutiveFailures = 0;
		synchronized (this) {
			this.loggedGiveUps.clear();
		}
		this.requests.incrementAndGet();
		this.namesAnnounced.addAndGet(part.size());
		this.lastSuccess = Instant.now();
		// not holding the monitor: what callers chained on their waits runs here, and may make a
		// committing thread report given-up names (which takes the monitor) meanwhile
		this.queue.settle(part, null);
	}

	/** Reports the names given up on for overflowing or arriving after close, from any thread. */
	void reportOverflow() {
		List<String> overflowed = this.queue.drainOverflow();
		if (!overflowed.isEmpty()) {
			report(overflowed, FailureKind.QUEUE_FULL, "more than maxPendingNames (" + this.options.maxPendingNames()
					+ ") names waited for this server");
		}
		List<String> refused = this.queue.drainRefused();
		if (!refused.isEmpty()) {
			report(refused, FailureKind.CLOSED, "the announcer was closed, or had stopped, when these names were committed");
		}
	}

	/**
	 * Reports first, then settles: a caller whose wait fails finds the names already reported. Settles
	 * even if reporting fails, so that no wait hangs on names no one will send.
	 */
	private void giveUp(List<PendingNames.Entry> entries, FailureKind kind, String detail) {
		try {
			report(names(entries), kind, detail);
		}
		finally {
			this.queue.settle(entries, kind);
		}
	}

	/** Synchronized: a closed announcer reports from the committing threads (see {@link #giveUpRemaining}). */
	private synchronized void report(List<String> names, FailureKind kind, String detail) {
		this.namesGivenUp.addAndGet(names.size());
		if (this.loggedGiveUps.add(kind)) {
			logger.warn("Gave up announcing {} changed records to the deepstream server at {} ({}: {}), such as {}; "
					+ "its cache and subscribed clients may keep their old versions until they read them again. "
					+ "Further names given up on for this reason are logged at debug level until the server answers again",
					names.size(), this.url, kind, detail, names.subList(0, Math.min(NAMES_IN_LOG, names.size())));
		}
		else {
			logger.debug("Gave up announcing {} changed records to {} ({}: {})", names.size(), this.url, kind, detail);
		}
		// the reporter (ServerAnnouncer's) contains each listener's failure
		this.reporter.accept(new NamesGivenUp(this.url, List.copyOf(names), kind, detail));
	}

	/** The entries' names, without copying them: for a request, which only reads them. */
	private static List<String> nameView(List<PendingNames.Entry> entries) {
		return new AbstractList<>() {

			@Override
			public String get(int index) {
				return entries.get(index).name;
			}

			@Override
			public int size() {
				return entries.size();
			}

		};
	}

	private static List<String> names(List<PendingNames.Entry> entries) {
		List<String> names = new ArrayList<>(entries.size());
		for (PendingNames.Entry entry : entries) {
			names.add(entry.name);
		}
		return names;
	}

	EndpointState state() {
		return new EndpointState(this.url, this.failing, this.queue.size(), this.requests.get(), this.failedRequests.get(),
				this.namesAnnounced.get(), this.namesGivenUp.get(), this.lastFailure, this.lastFailureDetail,
				this.lastSuccess);
	}

}
