package io.deepstream.storage.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.test.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the reference Node.js connector ({@code @deepstream/storage-postgres} 3.0.4, installed by the
 * {@code reference-interop} Maven profile) as a separate process against the test database.
 */
final class ReferenceConnector {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final TestDatabase database;

	private final String schema;

	private final Path nodeModules;

	private final Path script;

	ReferenceConnector(TestDatabase database, String schema) {
		this.database = database;
		this.schema = schema;
		String modules = System.getProperty("reference.node.modules");
		if (modules == null || !Files.isDirectory(Path.of(modules, "@deepstream", "storage-postgres"))) {
			throw new IllegalStateException("The reference connector is not installed (system property reference.node.modules="
					+ modules + "). Run Maven with the reference-interop profile (on by default; it needs Node.js and npm), "
					+ "or exclude this test with -DskipReferenceInterop.");
		}
		this.nodeModules = Path.of(modules);
		this.script = Path.of("src", "test", "node", "reference.js").toAbsolutePath();
	}

	/** Runs one command to completion and returns its JSON lines. */
	List<JsonNode> run(String... args) throws IOException, InterruptedException {
		Process process = start(args);
		List<JsonNode> lines = readAll(process);
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Reference connector did not finish: " + String.join(" ", args));
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("Reference connector failed (" + process.exitValue() + "): " + lines);
		}
		return lines;
	}

	/** Starts {@code listen}, returns once it is subscribed; its lines collect into {@code events}. */
	Process listen(long millis, List<JsonNode> events) throws IOException {
		Process process = start("listen", Long.toString(millis));
		CompletableFuture<Void> ready = new CompletableFuture<>();
		List<JsonNode> sink = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					JsonNode node = MAPPER.readTree(line);
					if (node.has("ready")) {
						ready.complete(null);
					}
					else {
						events.add(node);
					}
				}
			}
			catch (IOException ex) {
				ready.completeExceptionally(ex);
			}
			ready.completeExceptionally(new IllegalStateException("listener ended before it was ready: " + sink));
		}, "reference-listen");
		reader.setDaemon(true);
		reader.start();
		ready.orTimeout(30, TimeUnit.SECONDS).join();
		return process;
	}

	private Process start(String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of("node", this.script.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
		URI uri = URI.create(this.database.url().substring("jdbc:".length()));
		Map<String, String> env = builder.environment();
		env.put("NODE_PATH", this.nodeModules.toString());
		env.put("PGHOST", uri.getHost());
		env.put("PGPORT", Integer.toString((uri.getPort() > 0) ? uri.getPort() : 5432));
		env.put("PGDATABASE", uri.getPath().substring(1));
		env.put("PGUSER", this.database.username());
		env.put("PGPASSWORD", this.database.password());
		env.put("DS_SCHEMA", this.schema);
		return builder.start();
	}

	private static List<JsonNode> readAll(Process process) throws IOException {
		List<JsonNode> lines = new ArrayList<>();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				lines.add(MAPPER.readTree(line));
			}
		}
		return lines;
	}

}
