package org.conversationarchive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a real server, which a test can cut to make the server
 * unreachable without stopping it.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final URI target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	public TcpProxy(URI target) {
		this.target = target;
		try {
			this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread.ofVirtual().name("tcp-proxy").start(this::accept);
	}

	public String uri() {
		return "http://127.0.0.1:" + this.listener.getLocalPort();
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				Socket server = new Socket(this.target.getHost(), this.target.getPort());
				this.sockets.add(client);
				this.sockets.add(server);
				Thread.ofVirtual().start(() -> pipe(client, server));
				Thread.ofVirtual().start(() -> pipe(server, client));
			}
			catch (IOException ex) {
				// Closed, or the target refused: the client sees its connection drop.
			}
		}
	}

	private static void pipe(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// Either side closed.
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	/**
	 * Stops listening and drops every open connection.
	 */
	@Override
	public void close() {
		closeQuietly(this.listener);
		this.sockets.forEach(TcpProxy::closeQuietly);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Nothing left to do.
		}
	}

}
