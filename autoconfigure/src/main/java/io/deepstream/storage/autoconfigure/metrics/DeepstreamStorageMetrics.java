package io.deepstream.storage.autoconfigure.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.announce.EndpointState;
import io.deepstream.storage.announce.ServerAnnouncer;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.store.RecordStoreObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * Micrometer meters of deepstream's storage, all tagged with the schema:
 * <ul>
 * <li>{@code deepstream.storage.writes.accepted}, {@code .writes.committed}, {@code .writes.failed},
 * {@code .writes.conflicted} (counters)</li>
 * <li>{@code deepstream.storage.writes.buffered} (gauge: accepted, not yet committed)</li>
 * <li>{@code deepstream.storage.flush} (timer: one per committed batch, retries included) and
 * {@code deepstream.storage.flush.failures} (counter)</li>
 * <li>{@code deepstream.storage.batch.size} (distribution of writes per batch)</li>
 * <li>{@code deepstream.storage.retries} (counter)</li>
 * <li>{@code deepstream.storage.notifications.received}, {@code deepstream.storage.listener.reconnects}
 * (counters) and {@code deepstream.storage.listener.connected} (gauge, 1 or 0)</li>
 * <li>with {@code server.urls}, per deepstream server ({@code url} tag):
 * {@code deepstream.storage.server.names.announced}, {@code .names.given-up}, {@code .requests} (tag
 * {@code outcome}; counters) and {@code .names.pending} (gauge)</li>
 * </ul>
 * Counts the store keeps itself ({@link io.deepstream.storage.store.StoreStatistics}) are read from
 * it; as an observer this binder records only what the store does not keep: the time and size of
 * each batch.
 * The pool's own meters come from HikariCP under the pool name {@code deepstream-storage}.
 */
public class DeepstreamStorageMetrics implements MeterBinder, RecordStoreObserver {

	private final ObjectProvider<PostgresRecordStore> store;

	private final ObjectProvider<NotificationListener> listener;

	private final ObjectProvider<ServerAnnouncer> announcer;

	private volatile @Nullable Meters meters;

	public DeepstreamStorageMetrics(ObjectProvider<PostgresRecordStore> store,
			ObjectProvider<NotificationListener> listener) {
		this(store, listener, new StaticListableBeanFactory().getBeanProvider(ServerAnnouncer.class));
	}

	public DeepstreamStorageMetrics(ObjectProvider<PostgresRecordStore> store,
			ObjectProvider<NotificationListener> listener, ObjectProvider<ServerAnnouncer> announcer) {
		this.store = store;
		this.listener = listener;
		this.announcer = announcer;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		PostgresRecordStore recordStore = this.store.getIfAvailable();
		if (recordStore == null) {
			return;
		}
		String schema = recordStore.options().schema();
		FunctionCounter.builder("deepstream.storage.writes.accepted", recordStore, (s) -> s.statistics().writesAccepted())
			.description("Writes (sets and deletes) accepted into the write buffer").tag("schema", schema).register(registry);
		FunctionCounter.builder("deepstream.storage.writes.committed", recordStore, (s) -> s.statistics().writesCommitted())
			.description("Writes whose batch committed").tag("schema", schema).register(registry);
		FunctionCounter.builder("deepstream.storage.writes.failed", recordStore, (s) -> s.statistics().writesFailed())
			.description("Writes that failed for good").tag("schema", schema).register(registry);
		Gauge.builder("deepstream.storage.writes.buffered", recordStore, (s) -> s.statistics().buffered())
			.description("Writes accepted and not yet committed").tag("schema", schema).register(registry);
		FunctionCounter.builder("deepstream.storage.writes.conflicted", recordStore, (s) -> s.statistics().writesConflicted())
			.description("Conditional writes not applied because the record had another version").tag("schema", schema)
			.register(registry);
		ServerAnnouncer serverAnnouncer = this.announcer.getIfAvailable();
		if (serverAnnouncer != null) {
			bindAnnouncer(registry, serverAnnouncer, schema);
		}
		NotificationListener notificationListener = this.listener.getIfAvailable();
		if (notificationListener != null) {
			FunctionCounter.builder("deepstream.storage.notifications.received", notificationListener,
					(l) -> l.state().notificationsReceived())
				.description("Notifications received from PostgreSQL").tag("schema", schema).register(registry);
			FunctionCounter.builder("deepstream.storage.listener.reconnects", notificationListener, (l) -> l.state().reconnects())
				.description("Reconnects of the notification listener").tag("schema", schema).register(registry);
			Gauge.builder("deepstream.storage.listener.connected", notificationListener, (l) -> l.state().connected() ? 1 : 0)
				.description("Whether the notification listener is connected").tag("schema", schema).register(registry);
		}
		FunctionCounter.builder("deepstream.storage.flush.failures", recordStore, (s) -> s.statistics().batchesFailed())
			.description("Batches that failed for good").tag("schema", schema).register(registry);
		FunctionCounter.builder("deepstream.storage.retries", recordStore, (s) -> s.statistics().retries())
			.description("Batch retries after transient failures").tag("schema", schema).register(registry);
		FunctionCounter.builder("deepstream.storage.commits.in-doubt", recordStore, (s) -> s.statistics().commitsInDoubt())
			.description("Write transactions whose COMMIT failed, so that PostgreSQL was asked whether they committed")
			.tag("schema", schema).register(registry);
		this.meters = new Meters(
				Timer.builder("deepstream.storage.flush").description("Time to write one batch, retries included")
					.tag("schema", schema).register(registry),
				DistributionSummary.builder("deepstream.storage.batch.size").description("Writes per flushed batch")
					.tag("schema", schema).register(registry));
	}

	/** Per deepstream server: names announced, given up on and waiting, and requests by outcome. */
	private static void bindAnnouncer(MeterRegistry registry, ServerAnnouncer announcer, String schema) {
		List<EndpointState> endpoints = announcer.state();
		for (int i = 0; i < endpoints.size(); i++) {
			int index = i;
			Tags tags = Tags.of("schema", schema, "url", endpoints.get(i).url().toString());
			FunctionCounter.builder("deepstream.storage.server.names.announced", announcer, (a) -> a.state().get(index).namesAnnounced())
				.description("Record names a deepstream server acknowledged").tags(tags).register(registry);
			FunctionCounter.builder("deepstream.storage.server.names.given-up", announcer, (a) -> a.state().get(index).namesGivenUp())
				.description("Record names given up on: the server was not told about these changes").tags(tags).register(registry);
			Gauge.builder("deepstream.storage.server.names.pending", announcer, (a) -> a.state().get(index).pendingNames())
				.description("Record names waiting to be announced").tags(tags).register(registry);
			FunctionCounter.builder("deepstream.storage.server.requests", announcer, (a) -> a.state().get(index).requests())
				.description("Notify requests to a deepstream server").tags(tags).tag("outcome", "success").register(registry);
			FunctionCounter.builder("deepstream.storage.server.requests", announcer, (a) -> a.state().get(index).failedRequests())
				.description("Notify requests to a deepstream server").tags(tags).tag("outcome", "failure").register(registry);
		}
	}

	@Override
	public void batchCommitted(String table, int writes, long nanos) {
		Meters current = this.meters;
		if (current != null) {
			current.flush.record(nanos, TimeUnit.NANOSECONDS);
			current.batchSize.record(writes);
		}
	}

	@Override
	public void batchFailed(String table, int writes, Throwable cause) {
		Meters current = this.meters;
		if (current != null) {
			current.batchSize.record(writes);
		}
	}

	private record Meters(Timer flush, DistributionSummary batchSize) {
	}

}
