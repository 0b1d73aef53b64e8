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

	private volatile ServerSocket listener;

	private final URI target;

	private final int port;

	private volatile long delayMillis;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	public TcpProxy(URI target) {
		this.target = target;
		try {
			this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.port = this.listener.getLocalPort();
		ServerSocket current = this.listener;
		Thread.ofVirtual().name("tcp-proxy").start(() -> accept(current));
	}

	/**
	 * Listens again on the same port after {@link #close()}.
	 */
	public void reopen() {
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 50);
			this.listener = socket;
			Thread.ofVirtual().name("tcp-proxy").start(() -> accept(socket));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Holds back every piece of data passed from the server by this long, to make what
	 * goes through slow.
	 * @param delay the delay
	 */
	public void delay(java.time.Duration delay) {
		this.delayMillis = delay.toMillis();
	}

	public String uri() {
		return "http://127.0.0.1:" + this.port;
	}

	private void accept(ServerSocket listener) {
		while (!listener.isClosed()) {
			try {
				Socket client = listener.accept();
				Socket server = new Socket(this.target.getHost(), this.target.getPort());
				this.sockets.add(client);
				this.sockets.add(server);
				if (listener.isClosed()) {
					// Accepted as close() ran, after it dropped the open connections.
					closeQuietly(client);
					closeQuietly(server);
					continue;
				}
				Thread.ofVirtual().start(() -> pipe(client, server, 0));
				Thread.ofVirtual().start(() -> pipe(server, client, 1));
			}
			catch (IOException ex) {
				// Closed, or the target refused: the client sees its connection drop.
			}
		}
	}

	private void pipe(Socket from, Socket to, int direction) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			byte[] buffer = new byte[8192];
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (direction == 1 && this.delayMillis > 0) {
					Thread.sleep(this.delayMillis);
				}
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
