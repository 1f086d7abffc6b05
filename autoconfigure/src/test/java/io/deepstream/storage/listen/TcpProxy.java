package io.deepstream.storage.listen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy for tests that can make its open connections half-open: {@link #freezeOpenConnections()}
 * stops forwarding in both directions without closing anything, as a dead network or a vanished
 * server would. Reads then simply wait; no error ever arrives. Connections made afterwards work.
 */
final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final List<Link> links = new CopyOnWriteArrayList<>();

	private TcpProxy(String targetHost, int targetPort) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		daemon(this::accept, "test-proxy-accept").start();
	}

	static TcpProxy to(String host, int port) throws IOException {
		return new TcpProxy(host, port);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Open connections stop forwarding, but stay open. */
	void freezeOpenConnections() {
		this.links.forEach((link) -> link.frozen = true);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket(this.targetHost, this.targetPort);
				Link link = new Link(client, upstream);
				this.links.add(link);
				daemon(() -> link.pump(client, upstream), "test-proxy-up").start();
				daemon(() -> link.pump(upstream, client), "test-proxy-down").start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.links.forEach(Link::close);
	}

	private static Thread daemon(Runnable runnable, String name) {
		Thread thread = new Thread(runnable, name);
		thread.setDaemon(true);
		return thread;
	}

	private static final class Link {

		private final Socket client;

		private final Socket upstream;

		private volatile boolean frozen;

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void pump(Socket from, Socket to) {
			byte[] buffer = new byte[8192];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					if (!this.frozen) {
						out.write(buffer, 0, n);
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				close();
			}
		}

		void close() {
			try {
				this.client.close();
			}
			catch (IOException ex) {
				// already closed
			}
			try {
				this.upstream.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}

	}

}
