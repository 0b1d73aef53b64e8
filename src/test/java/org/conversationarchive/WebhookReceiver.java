package org.conversationarchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on this machine, as a customer would write one: it records what it
 * is sent, verifies signatures the way the README tells receivers to (written here
 * independently of the archive's own code), and answers each path with the statuses it is
 * given in turn (the last one repeated; 200 when none).
 */
public final class WebhookReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Map<String, List<Integer>> answers = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private final Map<String, Canned> canned = new ConcurrentHashMap<>();

	private record Canned(int status, String contentType, byte[] body) {
	}

	/**
	 * A request the receiver got.
	 *
	 * @param path its path
	 * @param at when it came
	 * @param headers its headers (lower-case names, first values)
	 * @param body its body
	 */
	public record Received(String path, Instant at, Map<String, String> headers, String body) {

		public String header(String name) {
			return this.headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
		}

	}

	public WebhookReceiver() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/**
	 * The URL of a path on this receiver.
	 * @param path e.g. {@code /hooks/a}
	 * @return the URL
	 */
	public String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/**
	 * Has a path answer these statuses in turn, then the last one.
	 * @param path the path
	 * @param statuses the statuses
	 */
	public void answer(String path, Integer... statuses) {
		this.answers.put(path, List.of(statuses));
	}

	/**
	 * Has a path answer with a body of its own, every time.
	 * @param path the path
	 * @param status the status
	 * @param contentType the body's type
	 * @param body the body
	 */
	public void answer(String path, int status, String contentType, byte[] body) {
		this.canned.put(path, new Canned(status, contentType, body));
	}

	public List<Received> received(String path) {
		return this.received.stream().filter((request) -> request.path().equals(path)).toList();
	}

	/**
	 * Whether a signature header signs a body with a secret, within five minutes of now.
	 * @param secret the endpoint's secret
	 * @param header {@code t=…,v1=…}
	 * @param body the body as received
	 * @return whether it is genuine and recent
	 */
	public static boolean verify(String secret, String header, String body) {
		String timestamp = null;
		List<String> signatures = new ArrayList<>();
		for (String part : header.split(",")) {
			String[] pair = part.split("=", 2);
			if (pair.length == 2 && pair[0].equals("t")) {
				timestamp = pair[1];
			}
			else if (pair.length == 2 && pair[0].equals("v1")) {
				signatures.add(pair[1]);
			}
		}
		if (timestamp == null || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
			return false;
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] expected = HexFormat.of()
				.formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)))
				.getBytes(StandardCharsets.UTF_8);
			return signatures.stream()
				.anyMatch((signature) -> MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		byte[] body = exchange.getRequestBody().readAllBytes();
		Map<String, String> headers = new java.util.HashMap<>();
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
		this.received.add(new Received(path, Instant.now(), headers, new String(body, StandardCharsets.UTF_8)));
		Canned canned = this.canned.get(path);
		if (canned != null) {
			exchange.getResponseHeaders().add("Content-Type", canned.contentType());
			exchange.sendResponseHeaders(canned.status(), canned.body().length);
			exchange.getResponseBody().write(canned.body());
			exchange.close();
			return;
		}
		List<Integer> statuses = this.answers.getOrDefault(path, List.of(200));
		int count = this.counts.computeIfAbsent(path, (key) -> new AtomicInteger()).getAndIncrement();
		int status = statuses.get(Math.min(count, statuses.size() - 1));
		if (status >= 300 && status < 400) {
			exchange.getResponseHeaders().add("Location", url(path + "/redirected"));
		}
		byte[] answer = ("answered " + status + " to " + path).getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, answer.length);
		exchange.getResponseBody().write(answer);
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
