package org.conversationarchive.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A server-sent-event stream read as a browser's EventSource reads it: each event's name
 * and its data, as JSON, in the order they came.
 */
final class EventStream implements AutoCloseable {

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final HttpClient client = HttpClient.newHttpClient();

	private final Thread reader;

	private volatile Stream<String> lines;

	record Event(String name, JsonNode data) {
	}

	EventStream(JsonMapper json, URI uri, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
		headers.forEach(request::header);
		this.reader = Thread.ofVirtual().start(() -> {
			try {
				HttpResponse<Stream<String>> response = this.client.send(request.build(),
						HttpResponse.BodyHandlers.ofLines());
				if (response.statusCode() != 200) {
					this.events.add(new Event("status", json.readTree(Integer.toString(response.statusCode()))));
					return;
				}
				this.lines = response.body();
				String[] name = { "message" };
				StringBuilder data = new StringBuilder();
				this.lines.forEach((line) -> {
					if (line.startsWith("event:")) {
						name[0] = line.substring(6).strip();
					}
					else if (line.startsWith("data:")) {
						data.append(line.substring(5).strip());
					}
					else if (line.isEmpty() && !data.isEmpty()) {
						this.events.add(new Event(name[0], json.readTree(data.toString())));
						data.setLength(0);
						name[0] = "message";
					}
				});
			}
			catch (Exception ex) {
				// Closed.
			}
		});
	}

	/**
	 * The next event of a name that satisfies a condition, skipping the others.
	 * @param name the event's name
	 * @param condition what its data must satisfy
	 * @param within how long to wait
	 * @return its data
	 */
	JsonNode next(String name, Predicate<JsonNode> condition, Duration within) throws InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		while (true) {
			Event event = this.events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (event == null) {
				throw new AssertionError("no '" + name + "' event as expected within " + within);
			}
			if (event.name().equals("status")) {
				throw new AssertionError("the stream answered " + event.data());
			}
			if (event.name().equals(name) && condition.test(event.data())) {
				return event.data();
			}
		}
	}

	@Override
	public void close() {
		Stream<String> open = this.lines;
		if (open != null) {
			open.close();
		}
		this.reader.interrupt();
		this.client.shutdownNow();
	}

}
