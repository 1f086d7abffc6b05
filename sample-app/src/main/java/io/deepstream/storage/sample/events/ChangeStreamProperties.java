package io.deepstream.storage.sample.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds of the Server-Sent Events fan-out.
 *
 * @param queueCapacity most events queued for one client; a client that falls further behind is
 * dropped (its browser reconnects and reloads)
 * @param senderThreads threads that write to the clients
 * @param maxClients most clients connected at once; more are answered with 503
 * @param heartbeat how often an idle connection gets a comment line, so that a client that went away
 * is noticed and proxies keep the connection open
 * @param timeout how long one connection lasts before the server ends it (EventSource reconnects)
 */
@ConfigurationProperties("sample.events")
public record ChangeStreamProperties(@DefaultValue("256") int queueCapacity, @DefaultValue("4") int senderThreads,
		@DefaultValue("100") int maxClients, @DefaultValue("15s") Duration heartbeat,
		@DefaultValue("30m") Duration timeout) {

	public ChangeStreamProperties {
		if (queueCapacity < 1 || senderThreads < 1 || maxClients < 1) {
			throw new IllegalArgumentException("sample.events: queue-capacity, sender-threads and max-clients must be at least 1");
		}
		if (heartbeat.isNegative() || heartbeat.isZero() || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("sample.events: heartbeat and timeout must be positive");
		}
	}

}
