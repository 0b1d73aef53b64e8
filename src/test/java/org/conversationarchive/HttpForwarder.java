package org.conversationarchive;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP forwarder in front of a real server that can lose answers: a request a test
 * picks is forwarded and carried out by the server, and then its connection is dropped
 * before the answer, as when the node a client talks to dies once the cluster took the
 * request. Several forwarders can share their {@link Losses}, as nodes of one cluster.
 */
public final class HttpForwarder implements AutoCloseable {

	/**
	 * Headers the forwarder sets itself (or the JDK's client refuses).
	 */
	private static final Set<String> OWN_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade",
			"transfer-encoding", "keep-alive");

	private final URI target;

	private final Losses losses;

	private final HttpServer server;

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	public HttpForwarder(URI target, Losses losses) {
		this.target = target;
		this.losses = losses;
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::forward);
		this.server.start();
	}

	public String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private void forward(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		String method = exchange.getRequestMethod();
		Request request = new Request(method, exchange.getRequestURI().getRawPath(),
				exchange.getRequestURI().getRawQuery(), new String(body, StandardCharsets.UTF_8));
		HttpRequest.Builder forwarded = HttpRequest.newBuilder(this.target.resolve(exchange.getRequestURI()))
			.method(method, (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (!OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				values.forEach((value) -> forwarded.header(name, value));
			}
		});
		HttpResponse<byte[]> response;
		try {
			response = this.client.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		if (this.losses.lose(request)) {
			// Carried out; the answer never arrives: the server drops a connection whose
			// handler fails before it answered.
			throw new IOException("answer lost on purpose: " + method + " " + request.path());
		}
		for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
			if (!OWN_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT)) && !header.getKey().startsWith(":")) {
				exchange.getResponseHeaders().put(header.getKey(), header.getValue());
			}
		}
		byte[] answer = response.body();
		boolean noBody = answer.length == 0 || "HEAD".equals(method);
		exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
		if (!noBody) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(answer);
			}
		}
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.client.close();
	}

	/**
	 * A request as it went through.
	 *
	 * @param method its method
	 * @param path its path
	 * @param query its query, if any
	 * @param body its body as text
	 */
	public record Request(String method, String path, String query, String body) {

		public boolean bulkThatCreates(String index) {
			return "POST".equals(this.method) && this.path.endsWith("/_bulk")
					&& this.body.contains("{\"create\":{\"_index\":\"" + index);
		}

	}

	/**
	 * The answers the forwarders sharing it lose: the next request that matches, once.
	 */
	public static final class Losses {

		private final AtomicReference<Predicate<Request>> next = new AtomicReference<>();

		private final AtomicInteger lost = new AtomicInteger();

		/**
		 * Loses the answer to the next request that matches, and only that one.
		 * @param which the requests that may lose their answer
		 */
		public void loseNext(Predicate<Request> which) {
			this.next.set(which);
		}

		/**
		 * How many answers were lost so far.
		 * @return the count
		 */
		public int lost() {
			return this.lost.get();
		}

		boolean lose(Request request) {
			Predicate<Request> which = this.next.get();
			if (which != null && which.test(request) && this.next.compareAndSet(which, null)) {
				this.lost.incrementAndGet();
				return true;
			}
			return false;
		}

	}

}
