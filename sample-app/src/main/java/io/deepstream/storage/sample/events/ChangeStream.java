package io.deepstream.storage.sample.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fans change messages out to the connected Server-Sent Events clients. {@link #publish} serialises a
 * message once and offers it to each client's bounded queue, so the notification listener's thread
 * never waits for a client; a few sender threads do the writing. A client whose queue is full (slow,
 * or gone without saying so) is dropped, and a heartbeat comment makes sure a client that went away
 * is noticed even when nothing changes.
 * <p>
 * It stops in the first lifecycle phase, before the web server's graceful shutdown, so that open
 * event streams are ended rather than waited for.
 */
@Component
public class ChangeStream implements SmartLifecycle {

	/** The comment that opens every stream: from then on the client receives every change. */
	public static final String CONNECTED_COMMENT = "connected";

	/** The comment sent to every client when {@code heartbeat} has passed. */
	public static final String HEARTBEAT_COMMENT = "heartbeat";

	private static final Logger logger = LoggerFactory.getLogger(ChangeStream.class);

	/** The data is JSON text, written as it is in UTF-8 (the encoding of every event stream). */
	private static final MediaType UTF8_TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private final JsonMapper jsonMapper;

	private final ChangeStreamProperties properties;

	private final Set<ChangeStreamClient> clients = ConcurrentHashMap.newKeySet();

	private final ScheduledThreadPoolExecutor sender;

	private volatile boolean running;

	public ChangeStream(JsonMapper jsonMapper, ChangeStreamProperties properties) {
		this.jsonMapper = jsonMapper;
		this.properties = properties;
		this.sender = new ScheduledThreadPoolExecutor(properties.senderThreads(), threadFactory());
	}

	private static CustomizableThreadFactory threadFactory() {
		CustomizableThreadFactory factory = new CustomizableThreadFactory("sse-sender-");
		factory.setDaemon(true);
		return factory;
	}

	/**
	 * Connects a new client.
	 * @return its emitter, to be returned from the request
	 * @throws ResponseStatusException 503 when stopped or when {@code max-clients} are connected
	 */
	public SseEmitter connect() {
		if (!this.running) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The event stream is not running");
		}
		if (this.clients.size() >= this.properties.maxClients()) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
					"Too many event stream clients (" + this.properties.maxClients() + ")");
		}
		SseEmitter emitter = new SseEmitter(this.properties.timeout().toMillis());
		register(emitter);
		return emitter;
	}

	/**
	 * Adds a client that writes to an emitter and opens its stream with {@value #CONNECTED_COMMENT}.
	 * @param emitter the emitter (a test's own, or one that {@link #connect()} made)
	 */
	void register(SseEmitter emitter) {
		ChangeStreamClient client = new ChangeStreamClient(emitter, this.properties.queueCapacity(), this.sender,
				(gone) -> remove(gone, "went away"));
		emitter.onCompletion(() -> {
			client.markCompleted();
			remove(client, "completed");
		});
		emitter.onTimeout(emitter::complete);
		emitter.onError((ex) -> {
			client.markCompleted();
			remove(client, "failed: " + ex.getMessage());
		});
		this.clients.add(client);
		client.offer(SseEmitter.event().comment(CONNECTED_COMMENT).build());
		if (!this.running) {
			// stopped meanwhile, after its clients were ended: end this one too
			remove(client, "stopped");
			client.close();
		}
		logger.debug("Event stream client connected ({} in all)", this.clients.size());
	}

	/**
	 * Sends a message to every client, without waiting for any. Clients that cannot keep up are
	 * dropped.
	 * @param message the message
	 */
	public void publish(ChangeMessage message) {
		if (!this.running || this.clients.isEmpty()) {
			return;
		}
		String json = this.jsonMapper.writeValueAsString(message);
		offerToAll(SseEmitter.event().name(message.event()).data(json, UTF8_TEXT).build());
	}

	/**
	 * How many clients are connected.
	 * @return the number of clients
	 */
	public int clientCount() {
		return this.clients.size();
	}

	private void offerToAll(Set<DataWithMediaType> frame) {
		for (ChangeStreamClient client : this.clients) {
			if (!client.offer(frame)) {
				if (this.clients.remove(client)) {
					logger.info("Dropped an event stream client that fell {} events behind", client.queued());
				}
				client.close();
			}
		}
	}

	private void remove(ChangeStreamClient client, String reason) {
		if (this.clients.remove(client)) {
			logger.debug("Event stream client removed: {} ({} left)", reason, this.clients.size());
		}
	}

	@Override
	public void start() {
		long heartbeat = this.properties.heartbeat().toMillis();
		this.sender.scheduleWithFixedDelay(() -> offerToAll(SseEmitter.event().comment(HEARTBEAT_COMMENT).build()),
				heartbeat, heartbeat, TimeUnit.MILLISECONDS);
		this.running = true;
	}

	/** Ends every stream, waits a little for the senders, and stops them. */
	@Override
	public void stop() {
		this.running = false;
		for (ChangeStreamClient client : this.clients) {
			client.close();
		}
		this.clients.clear();
		this.sender.shutdown();
		try {
			if (!this.sender.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.sender.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.sender.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
