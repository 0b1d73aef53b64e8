package org.conversationarchive.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive's ingest API as far as the platform uses it: it records every write and
 * answers it as taken.
 */
final class FakeArchive implements AutoCloseable {

	static final String KEY = "ca_test_ingest";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final List<Write> writes = new CopyOnWriteArrayList<>();

	/**
	 * A write the platform sent.
	 *
	 * @param method {@code POST}, or {@code PUT} for a flow
	 * @param path {@code /api/v1/conversations} (create or replace),
	 * {@code /api/v1/conversations/{id}/messages} (append) or {@code /api/v1/flows/{id}}
	 * (publish)
	 * @param body its JSON
	 */
	record Write(String method, String path, String authorization, JsonNode body) {

		boolean replace() {
			return this.path.equals("/api/v1/conversations");
		}

	}

	FakeArchive() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/api/v1/conversations", this::handle);
		this.server.createContext("/api/v1/flows", this::handle);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	List<Write> writes() {
		return List.copyOf(this.writes);
	}

	/**
	 * The flows published, in order.
	 */
	List<Write> flows() {
		return this.writes.stream().filter((write) -> write.path().startsWith("/api/v1/flows/")).toList();
	}

	/**
	 * The conversation's replaces, first to last.
	 */
	List<JsonNode> states(String id) {
		return this.writes.stream()
			.filter((write) -> write.replace() && write.body().get("id").asString().equals(id))
			.map(Write::body)
			.toList();
	}

	/**
	 * Every message written to the conversation, by replace or append, each once, in the
	 * order written.
	 */
	List<JsonNode> messages(String id) {
		List<JsonNode> messages = new java.util.ArrayList<>();
		for (Write write : this.writes) {
			if (write.replace() && write.body().get("id").asString().equals(id)) {
				write.body().get("messages").forEach((message) -> {
					if (!messages.contains(message)) {
						messages.add(message);
					}
				});
			}
			else if (write.path().equals("/api/v1/conversations/" + id + "/messages")) {
				write.body().forEach((message) -> {
					if (!messages.contains(message)) {
						messages.add(message);
					}
				});
			}
		}
		return messages;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = exchange.getRequestBody().readAllBytes();
			this.writes.add(new Write(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
					String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")), JSON.readTree(body)));
			byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
