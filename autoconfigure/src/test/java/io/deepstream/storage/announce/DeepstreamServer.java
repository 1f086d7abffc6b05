package io.deepstream.storage.announce;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.deepstream.storage.test.TestDatabase;
import org.jspecify.annotations.Nullable;

/**
 * A real deepstream server 7.0.2 ({@code @deepstream/server} from npm, installed by the
 * {@code reference-interop} Maven profile into {@code target/deepstream-node}) storing records in the
 * test database through the reference connector, in a given schema, on a free port of 127.0.0.1.
 * Its ws-binary endpoint serves {@link DeepstreamTestClient}, its HTTP endpoint the announcer.
 */
final class DeepstreamServer implements AutoCloseable {

	/** Permissions as the shipped {@code permissions.yml}, but refusing {@code notify} for {@code denied/*}. */
	static final String PERMISSIONS = """
			presence:
			  "*":
			    allow: true
			record:
			  "*":
			    create: true
			    write: true
			    read: true
			    delete: true
			    listen: true
			    notify: true
			  "denied/*":
			    create: true
			    write: true
			    read: true
			    delete: true
			    listen: true
			    notify: false
			event:
			  "*":
			    publish: true
			    subscribe: true
			    listen: true
			rpc:
			  "*":
			    provide: true
			    request: true
			""";

	private final String schema;

	private final @Nullable String password;

	private final int port;

	private final Path directory;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private @Nullable Process process;

	/**
	 * Starts a server with {@code auth: none}.
	 * @param schema the schema its storage uses
	 */
	static DeepstreamServer start(String schema) {
		return start(schema, null);
	}

	/**
	 * Starts a server.
	 * @param schema the schema its storage uses
	 * @param password null for {@code auth: none}; otherwise file authentication with one user,
	 * {@code announcer}, with this password
	 */
	static DeepstreamServer start(String schema, @Nullable String password) {
		DeepstreamServer server = new DeepstreamServer(schema, password);
		server.start();
		return server;
	}

	private DeepstreamServer(String schema, @Nullable String password) {
		this.schema = schema;
		this.password = password;
		this.port = freePort();
		try {
			this.directory = Files.createTempDirectory("deepstream-server");
			Files.writeString(this.directory.resolve("config.yml"), config());
			Files.writeString(this.directory.resolve("permissions.yml"), PERMISSIONS);
			if (password != null) {
				Files.writeString(this.directory.resolve("users.yml"), "announcer:\n  password: \"" + hashed(password) + "\"\n");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A password as deepstream's file authentication stores it: base64 of PBKDF2 (sha256, 100
	 * iterations, 32 bytes) followed by the salt.
	 */
	private static String hashed(String password) {
		String salt = "dGVzdC1zYWx0";
		try {
			javax.crypto.SecretKeyFactory factory = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
			byte[] hash = factory.generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(),
					salt.getBytes(StandardCharsets.UTF_8), 100, 256)).getEncoded();
			return java.util.Base64.getEncoder().encodeToString(hash) + salt;
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Path nodeModules() {
		String modules = System.getProperty("deepstream.node.modules");
		if (modules == null || !Files.isDirectory(Path.of(modules, "@deepstream", "server"))) {
			throw new IllegalStateException("The deepstream server is not installed (system property deepstream.node.modules="
					+ modules + "). Run Maven with the reference-interop profile (on by default; it needs Node.js and npm), "
					+ "or exclude these tests with -DskipReferenceInterop.");
		}
		return Path.of(modules);
	}

	private String config() {
		TestDatabase database = TestDatabase.get();
		URI uri = URI.create(database.url().substring("jdbc:".length()));
		String auth = (this.password != null) ? """
				auth:
				  - type: file
				    options:
				      users: fileLoad(users.yml)
				      hash: sha256
				      iterations: 100
				      keyLength: 32
				""" : """
				auth:
				  - type: none
				""";
		return """
				serverName: test-%d
				showLogo: false
				logLevel: INFO
				exitOnFatalError: true
				httpServer:
				  type: default
				  options:
				    port: %d
				    host: 127.0.0.1
				    healthCheckPath: /health-check
				    allowAllOrigins: true
				connectionEndpoints:
				  - type: ws-binary
				    options:
				      urlPath: /deepstream
				      maxAuthAttempts: 3
				  - type: http
				    options:
				      allowAuthData: true
				      enableAuthEndpoint: false
				      postPath: /api
				      getPath: /api
				      requestTimeout: 5000
				logger:
				  type: default
				  options:
				    colors: false
				%s
				permission:
				  type: config
				  options:
				    permissions: fileLoad(permissions.yml)
				storage:
				  name: postgres
				  options:
				    user: %s
				    password: "%s"
				    database: %s
				    host: %s
				    port: %d
				    schema: %s
				    writeInterval: 20
				    notifications:
				      CREATE_TABLE: true
				      DESTROY_TABLE: true
				      INSERT: true
				      UPDATE: true
				      DELETE: true
				""".formatted(this.port, this.port, auth, database.username(), database.password(), uri.getPath().substring(1),
				uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5432, this.schema);
	}

	/** Starts (again, after {@link #stop()}) and waits until it logs that it started. */
	void start() {
		if (this.process != null && this.process.isAlive()) {
			throw new IllegalStateException("already running");
		}
		Path script = nodeModules().resolve("@deepstream/server/dist/bin/deepstream.js");
		ProcessBuilder builder = new ProcessBuilder("node", script.toString(), "start", "-c", "config.yml")
			.directory(this.directory.toFile())
			.redirectErrorStream(true);
		CompletableFuture<Void> started = new CompletableFuture<>();
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run node (Node.js 18 or later is needed)", ex);
		}
		Process running = this.process;
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					this.output.add(line);
					if (line.contains("Deepstream started")) {
						started.complete(null);
					}
				}
			}
			catch (IOException ex) {
				// the process ended
			}
			started.completeExceptionally(new IllegalStateException("deepstream server ended before it started"));
		}, "deepstream-server-" + this.port);
		reader.setDaemon(true);
		reader.start();
		try {
			started.get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			running.destroyForcibly();
			throw new IllegalStateException("The deepstream server did not start; it said:\n" + String.join("\n", this.output), ex);
		}
	}

	/** Stops the server (SIGKILL: what it has not stored yet is lost, as in a crash) and waits for it. */
	void stop() {
		Process running = this.process;
		if (running != null) {
			running.destroyForcibly();
			try {
				running.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** @return the HTTP API, {@code http://127.0.0.1:<port>/api} */
	String apiUrl() {
		return "http://127.0.0.1:" + this.port + "/api";
	}

	/** @return the client endpoint, {@code ws://127.0.0.1:<port>/deepstream} */
	String clientUrl() {
		return "ws://127.0.0.1:" + this.port + "/deepstream";
	}

	/** @return what the server logged so far */
	List<String> output() {
		return List.copyOf(this.output);
	}

	@Override
	public void close() {
		stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
