package io.deepstream.storage.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain HTTP client for the application under test. Paths are sent exactly as given, so a test
 * controls every percent-encoding.
 */
public final class Http {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(TIMEOUT)
		.build();

	private final String base;

	public Http(int port) {
		this.base = "http://localhost:" + port;
	}

	/**
	 * Percent-encodes a path segment as UTF-8: everything but letters, digits, {@code -}, {@code _} and
	 * {@code ~}, so that dots, slashes and the rest arrive as data.
	 * @param segment the segment
	 * @return the encoded segment
	 */
	public static String encode(String segment) {
		StringBuilder out = new StringBuilder();
		for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xFF;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '~') {
				out.append((char) c);
			}
			else {
				out.append('%').append(String.format("%02X", c));
			}
		}
		return out.toString();
	}

	public URI uri(String rawPath) {
		return URI.create(this.base + rawPath);
	}

	public HttpClient client() {
		return this.client;
	}

	public HttpResponse<String> get(String rawPath) {
		return send(request(rawPath).GET());
	}

	public HttpResponse<String> put(String rawPath, String body) {
		return put(rawPath, body, "application/json");
	}

	public HttpResponse<String> put(String rawPath, String body, String contentType) {
		return send(request(rawPath).header("Content-Type", contentType).PUT(BodyPublishers.ofString(body)));
	}

	public HttpResponse<String> delete(String rawPath) {
		return send(request(rawPath).DELETE());
	}

	private HttpRequest.Builder request(String rawPath) {
		return HttpRequest.newBuilder(uri(rawPath)).timeout(TIMEOUT);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Request failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
