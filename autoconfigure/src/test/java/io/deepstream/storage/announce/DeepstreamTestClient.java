package io.deepstream.storage.announce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real deepstream client ({@code @deepstream/client} 7.0.5, run by {@code src/test/node/deepstream-client.js})
 * logged in to a {@link DeepstreamServer}, driven by commands; what it hears collects in {@link #events()}.
 */
final class DeepstreamTestClient implements AutoCloseable {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final Process process;

	private final Writer commands;

	private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();

	private final List<JsonNode> events = new CopyOnWriteArrayList<>();

	private final AtomicInteger ids = new AtomicInteger();

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	DeepstreamTestClient(DeepstreamServer server) {
		Path script = Path.of("src", "test", "node", "deepstream-client.js").toAbsolutePath();
		ProcessBuilder builder = new ProcessBuilder("node", script.toString(), server.clientUrl())
			.redirectError(ProcessBuilder.Redirect.INHERIT);
		builder.environment().put("NODE_PATH", DeepstreamServer.nodeModules().toString());
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.commands = new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
		Thread reader = new Thread(this::read, "deepstream-client");
		reader.setDaemon(true);
		reader.start();
		this.ready.orTimeout(30, TimeUnit.SECONDS).join();
	}

	private void read() {
		try (BufferedReader in = new BufferedReader(new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				JsonNode node = MAPPER.readTree(line);
				if (node.has("id")) {
					CompletableFuture<JsonNode> answer = this.answers.remove(node.get("id").asInt());
					if (answer != null) {
						answer.complete(node);
					}
				}
				else if ("ready".equals(node.path("event").asString())) {
					this.ready.complete(null);
				}
				else {
					this.events.add(node);
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
		IllegalStateException ended = new IllegalStateException("the deepstream client ended; events: " + this.events);
		this.ready.completeExceptionally(ended);
		this.answers.values().forEach((answer) -> answer.completeExceptionally(ended));
	}

	private JsonNode send(Duration timeout, Map<String, Object> command) {
		int id = this.ids.incrementAndGet();
		CompletableFuture<JsonNode> answer = new CompletableFuture<>();
		this.answers.put(id, answer);
		ObjectNode message = MAPPER.valueToTree(command);
		message.put("id", id);
		synchronized (this.commands) {
			try {
				this.commands.write(message.toString() + "\n");
				this.commands.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		JsonNode result = answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
		if (result.has("error")) {
			throw new IllegalStateException(command.get("op") + " failed: " + result.get("error").asString());
		}
		return result;
	}

	/** Subscribes (getRecord); returns {@code {version, data}} once the record is ready. */
	JsonNode subscribe(String name) {
		return send(Duration.ofSeconds(20), Map.of("op", "subscribe", "name", name));
	}

	/** The record's data as the server serves it now. */
	JsonNode snapshot(String name) {
		return send(Duration.ofSeconds(20), Map.of("op", "snapshot", "name", name)).get("data");
	}

	/** The record's version as the server serves it now. */
	int head(String name) {
		return send(Duration.ofSeconds(20), Map.of("op", "head", "name", name)).get("version").asInt();
	}

	/** Sets the record's data (at the client's version + 1) and waits for the write acknowledgement; returns the version. */
	int set(String name, Object data) {
		return send(Duration.ofSeconds(20), Map.of("op", "set", "name", name, "data", data)).get("version").asInt();
	}

	/**
	 * Increments {@code data[field]} {@code times} times through the client's versioned write, each
	 * tried again on top of the server's record after a conflict, at most {@code maxAttempts} times.
	 * @return {@code {applied, gaveUp, conflicts}}
	 */
	JsonNode increment(String name, String field, int times, int maxAttempts, Duration timeout) {
		return send(timeout, Map.of("op", "increment", "name", name, "field", field, "times", times, "maxAttempts",
				maxAttempts));
	}

	/** @return every event heard so far: {@code {event: update, name, version, data}} and {@code {event: delete, name}} */
	List<JsonNode> events() {
		return List.copyOf(this.events);
	}

	@Override
	public void close() {
		try {
			this.commands.close();
		}
		catch (IOException ex) {
			// already gone
		}
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
