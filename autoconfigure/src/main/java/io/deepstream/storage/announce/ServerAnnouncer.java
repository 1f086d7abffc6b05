package io.deepstream.storage.announce;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.deepstream.storage.core.CallbackFailures;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreObserver;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells running deepstream servers about this store's writes. A deepstream server does not see writes
 * made directly in PostgreSQL: it serves records from a cache that never expires, and its subscribed
 * clients hear nothing. After every committed batch the announcer sends the names of its records,
 * upserts and deletes alike, to each server's HTTP API as a record {@code notify}; the server drops
 * them from its cache and pushes the stored version to subscribed clients.
 * <p>
 * It never runs on the caller's thread and never delays or fails a write: a write's future completes
 * at commit. Callers that need to know that the server was told wait on {@link #announced(String...)}.
 * Names a server could not be told about are retried with backoff for {@code giveUpAfter}, then given
 * up on: logged (once per kind of failure), counted, and reported to {@link AnnouncementListener}s.
 * <p>
 * Use it as the store's observer:
 *
 * <pre>{@code
 * ServerAnnouncer announcer = new ServerAnnouncer(AnnouncerOptions.builder("http://localhost:6020/api").build());
 * announcer.start();
 * PostgresRecordStore store = new PostgresRecordStore(dataSource, jsonMapper, options, announcer);
 * store.start();
 * store.set("cars/bmw", 2, Map.of("color", "red")).thenCompose((committed) -> announcer.announced("cars/bmw")).join();
 * store.close();
 * announcer.close();
 * }</pre>
 */
public class ServerAnnouncer implements RecordStoreObserver, SmartLifecycle, AutoCloseable {

	/**
	 * Lifecycle phase: starts before the store and stops after it, so that the names of the store's
	 * last batches, flushed as it stops, are still announced.
	 */
	public static final int PHASE = PostgresRecordStore.PHASE - 1024;

	private static final Logger logger = LoggerFactory.getLogger(ServerAnnouncer.class);

	private static final AtomicInteger instances = new AtomicInteger();

	private final AnnouncerOptions options;

	private final List<Endpoint> endpoints = new ArrayList<>();

	private final List<AnnouncementListener> listeners = new CopyOnWriteArrayList<>();

	private final HttpClient http;

	private volatile State state = State.NEW;

	private enum State {

		NEW, RUNNING, CLOSED

	}

	private record Endpoint(URI url, PendingNames queue, EndpointAnnouncer announcer, Thread thread) {
	}

	public ServerAnnouncer(AnnouncerOptions options) {
		this(options, JsonMapper.builder().build());
	}

	public ServerAnnouncer(AnnouncerOptions options, JsonMapper jsonMapper) {
		this.options = options;
		this.http = NotifyClient.httpClient(options);
		NotifyClient client = new NotifyClient(this.http, jsonMapper, options);
		int instance = instances.incrementAndGet();
		for (int i = 0; i < options.urls().size(); i++) {
			URI url = options.urls().get(i);
			PendingNames queue = new PendingNames(options.maxPendingNames());
			EndpointAnnouncer announcer = new EndpointAnnouncer(url, queue, client, options, this::report);
			Thread thread = new Thread(announcer, "deepstream-announce-" + instance + "-" + (i + 1));
			thread.setDaemon(false);
			this.endpoints.add(new Endpoint(url, queue, announcer, thread));
		}
	}

	/**
	 * Adds a listener told about names given up on.
	 * @param listener the listener
	 */
	public void addListener(AnnouncementListener listener) {
		this.listeners.add(listener);
	}

	/** Tells every listener, each whatever the others do. */
	private void report(NamesGivenUp givenUp) {
		for (AnnouncementListener listener : this.listeners) {
			try {
				listener.namesGivenUp(givenUp);
			}
			catch (Throwable ex) {
				// the next listeners must still hear, and the announcer's thread must not end over one
				// (as the event bridge re-throws what an @EventListener throws); the JVM's own errors go on
				CallbackFailures.rethrowIfFatal(ex);
				logger.warn("An AnnouncementListener failed on {} names given up on for {} ({})", givenUp.names().size(),
						givenUp.url(), givenUp.kind(), ex);
			}
		}
	}

	@Override
	public synchronized void start() {
		if (this.state != State.NEW) {
			return;
		}
		this.endpoints.forEach((endpoint) -> endpoint.thread().start());
		this.state = State.RUNNING;
	}

	/**
	 * Queues the names of a committed batch's records for every server. On the committing (flusher)
	 * thread this only hands the list of ids over, without a lock while the queue has room: the names
	 * are built by each server's thread (once for all servers), which is also where they are checked
	 * against the names already waiting.
	 */
	@Override
	public void recordsCommitted(String table, List<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		CommittedNames names = new CommittedNames(table, ids, this.options.defaultTable());
		for (Endpoint endpoint : this.endpoints) {
			queued(endpoint, endpoint.queue().offer(names, names.maxNames()));
		}
	}

	/**
	 * Queues record names to be announced to every server, as the store does after each commit: for
	 * records an application changed in PostgreSQL by other means.
	 * @param recordNames the record names
	 */
	public void announce(Collection<String> recordNames) {
		for (Endpoint endpoint : this.endpoints) {
			queued(endpoint, endpoint.queue().add(recordNames));
		}
	}

	/** After names were queued for a server, of which {@code givenUp} were given up on at once. */
	private void queued(Endpoint endpoint, int givenUp) {
		if (endpoint.queue().isClosed() && !endpoint.thread().isAlive()) {
			// no thread will report them (the announcer closed, or its thread stopped after an unexpected
			// failure): they were refused at once, as CLOSED
			endpoint.announcer().giveUpRemaining();
		}
		else if (givenUp > 0 && endpoint.queue().unreported() >= this.options.maxPendingNames()) {
			// the server's thread is busy (a request may take request-timeout): report here, so that
			// the names given up on stay bounded too
			endpoint.announcer().reportOverflow();
		}
	}

	/**
	 * The record names of a committed batch, built when first asked for (by the first server's thread
	 * that takes them in) and then shared by every server.
	 */
	private static final class CommittedNames implements Supplier<List<String>> {

		private final String table;

		private final List<String> ids;

		private final String defaultTable;

		private volatile @Nullable List<String> names;

		CommittedNames(String table, List<String> ids, String defaultTable) {
			this.table = table;
			this.ids = ids;
			this.defaultTable = defaultTable;
		}

		/** @return how many names the ids give at most: two for a row of the default table */
		int maxNames() {
			return this.table.equals(this.defaultTable) ? 2 * this.ids.size() : this.ids.size();
		}

		@Override
		public List<String> get() {
			List<String> built = this.names;
			if (built == null) {
				built = RecordNames.of(this.table, this.ids, this.defaultTable);
				this.names = built;
			}
			return built;
		}

	}

	/**
	 * A future that completes once every server has been told about the given records, as committed so
	 * far; for instance {@code store.set(name, ...).thenCompose((done) -> announcer.announced(name))}.
	 * It fails with {@link AnnouncementFailedException} if a server was given up on for one of them,
	 * including a commit given up on while an earlier request for the same name was under way.
	 * <p>
	 * What is chained on it without an executor runs on the announcer's thread of the server that
	 * answered last, outside the announcer's locks: keep it short, and use the {@code ...Async} forms
	 * for anything that blocks, since that server's announcements wait meanwhile.
	 * @param recordNames the record names
	 * @return the future
	 */
	public CompletableFuture<Void> announced(String... recordNames) {
		return announced(Arrays.asList(recordNames));
	}

	/**
	 * A future that completes once every server has been told about the given records, as committed so
	 * far.
	 * @param recordNames the record names
	 * @return the future
	 */
	public CompletableFuture<Void> announced(Collection<String> recordNames) {
		return allOf(recordNames);
	}

	/**
	 * A future that completes once every name waiting now has been announced to every server, or fails
	 * with {@link AnnouncementFailedException} if one of them was given up on; after
	 * {@link PostgresRecordStore#flush()} this covers every write accepted before.
	 * @return the future
	 */
	public CompletableFuture<Void> announced() {
		return allOf(null);
	}

	private CompletableFuture<Void> allOf(@Nullable Collection<String> names) {
		CompletableFuture<?>[] futures = this.endpoints.stream()
			.map((endpoint) -> endpoint.queue().announced(names))
			.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(futures);
	}

	/** @return the state of every server, in the order of the options' URLs */
	public List<EndpointState> state() {
		return this.endpoints.stream().map((endpoint) -> endpoint.announcer().state()).toList();
	}

	/** @return the options */
	public AnnouncerOptions options() {
		return this.options;
	}

	/**
	 * Waits up to {@code closeTimeout} for the names still waiting, then gives up on the rest
	 * (reported as {@link FailureKind#CLOSED}) and stops the threads.
	 */
	@Override
	public void close() {
		synchronized (this) {
			if (this.state == State.CLOSED) {
				return;
			}
			this.state = State.CLOSED;
		}
		this.endpoints.forEach((endpoint) -> endpoint.queue().close());
		long deadline = System.nanoTime() + this.options.closeTimeout().toNanos();
		try {
			for (Endpoint endpoint : this.endpoints) {
				if (endpoint.thread().isAlive()) {
					endpoint.queue().awaitEmpty(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
			}
			for (Endpoint endpoint : this.endpoints) {
				endpoint.thread().interrupt();
			}
			for (Endpoint endpoint : this.endpoints) {
				endpoint.thread().join(TimeUnit.SECONDS.toMillis(5));
				if (endpoint.thread().isAlive()) {
					logger.warn("The announcer thread for {} did not stop within 5 s", endpoint.url());
				}
				else {
					// a thread that never started (or names that came after it ended): reported here
					endpoint.announcer().giveUpRemaining();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.endpoints.forEach((endpoint) -> endpoint.thread().interrupt());
		}
	}

	@Override
	public void stop() {
		close();
	}

	@Override
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
