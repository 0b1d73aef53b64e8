package org.conversationarchive.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.generator.FlowGraph;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The reference agent platform: what an org's platform does by the gateway contract
 * ({@code docs/gateway-openapi.yaml}). It plays conversations into the archive through
 * the ingest API ({@link #play}) and takes the archive's actions on them at {@link #url}:
 * signed ({@code X-Archive-Action-Signature}), each {@code Idempotency-Key} done once,
 * {@code 404} for a conversation it does not play, {@code 409} with the reason when the
 * action does not apply, {@code 202} when taken (its outcome follows through the ingest
 * API), and for {@code listen} a short-lived URL of the call's audio.
 */
public final class ReferencePlatform implements AutoCloseable {

	static final String ACTIONS = "/actions";

	static final String LISTEN = "/listen/";

	/** Longer than any listener needs: the URL is also dead once the call ends. */
	static final Duration LISTEN_LIFETIME = Duration.ofHours(1);

	/** How long an ended conversation is still known, answering 409 rather than 404. */
	static final Duration KEPT = Duration.ofHours(1);

	private static final int MAX_BODY = 64 * 1024;

	private static final int ANSWERS_KEPT = 10_000;

	private final Archive archive;

	private final ActionSignature signature;

	private final int requestedPort;

	private final Consumer<String> log;

	private final Map<String, LiveCall> calls = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();

	private final Queue<String> answered = new ConcurrentLinkedQueue<>();

	private final Map<String, Listening> listening = new ConcurrentHashMap<>();

	private final List<Player> players = new CopyOnWriteArrayList<>();

	private final SecureRandom random = new SecureRandom();

	private @Nullable HttpServer server;

	private volatile boolean closed;

	private boolean flowsPublished;

	/**
	 * A platform that reports to an archive.
	 * @param archive the archive's base URL, e.g. {@code http://localhost:8080}
	 * @param ingestKey an API key of the {@code ingest} role of the org it plays for
	 * @param secret the secret the archive signs actions with
	 * @param port the port of its endpoint, 0 for any free one
	 */
	public ReferencePlatform(String archive, String ingestKey, String secret, int port) {
		this(archive, ingestKey, secret, port, (line) -> {
		});
	}

	/**
	 * A platform that reports to an archive and tells what it does.
	 * @param log told a line for each action and each write the archive refused
	 */
	public ReferencePlatform(String archive, String ingestKey, String secret, int port, Consumer<String> log) {
		this.archive = new Archive(archive, ingestKey, log);
		this.signature = new ActionSignature(secret);
		this.requestedPort = port;
		this.log = log;
	}

	/**
	 * Starts its HTTP server, on the loopback address.
	 * @throws UncheckedIOException when the port cannot be had
	 */
	public void start() {
		try {
			HttpServer server = HttpServer
				.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.requestedPort), 50);
			server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			server.createContext(ACTIONS, this::action);
			server.createContext(LISTEN, this::listen);
			server.start();
			this.server = server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on port " + this.requestedPort + ": " + ex.getMessage(), ex);
		}
	}

	public int port() {
		if (this.server == null) {
			throw new IllegalStateException("not started");
		}
		return this.server.getAddress().getPort();
	}

	/**
	 * Where the archive sends actions.
	 * @return e.g. {@code http://127.0.0.1:8090/actions}
	 */
	public String url() {
		return base() + ACTIONS;
	}

	private String base() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * Starts playing generated conversations into the archive, in the background, after
	 * publishing the graphs of their flows.
	 * @param options how many, how fast, which
	 * @return the player, to follow it
	 */
	public Player play(Player.Options options) {
		Player player = new Player(this, options);
		this.players.add(player);
		player.start();
		return player;
	}

	/**
	 * Publishes every version of the flows it plays, once: the archive answers a version
	 * it has already as taken.
	 * @throws InterruptedException when interrupted
	 */
	synchronized void publishFlows() throws InterruptedException {
		if (this.flowsPublished) {
			return;
		}
		for (FlowGraph graph : ConversationGenerator.flowGraphs()) {
			this.archive.send("PUT", "/api/v1/flows/" + graph.id(),
					new FlowBody(graph.name(), graph.version(), graph.nodes(), graph.edges()));
		}
		this.flowsPublished = true;
	}

	/**
	 * The body of {@code PUT /api/v1/flows/{id}}: a graph without its id, which the path
	 * carries.
	 */
	record FlowBody(String name, int version, List<FlowGraph.Node> nodes, List<FlowGraph.Edge> edges) {
	}

	/**
	 * Starts playing one conversation, on a thread of its own.
	 * @param id its id in the archive
	 * @param cast what to play
	 * @param speed how much faster than real time
	 * @param seed its random choices
	 * @param aiDone told once the AI agent no longer plays it
	 * @return the conversation
	 */
	LiveCall play(String id, Casting.Cast cast, double speed, long seed, Runnable aiDone) {
		forgetEnded();
		LiveCall call = new LiveCall(id, cast, speed, seed, this.archive.outbox(id), aiDone);
		// Begun before any action can find it.
		call.begin();
		this.calls.put(id, call);
		this.log.accept("playing " + id + ": " + cast.conversation().platform().json() + ", " + cast.script().size()
				+ " messages" + ((cast.handOffTo() != null) ? ", then waiting in " + cast.handOffTo() : ""));
		Thread.ofVirtual().name("call-" + id).start(call::play);
		return call;
	}

	private void forgetEnded() {
		Instant before = Instant.now().minus(KEPT);
		this.calls.values().removeIf((call) -> call.over() != null && call.over().isBefore(before));
		this.listening.values().removeIf((listen) -> listen.call().over() != null || listen.issued().isBefore(before));
	}

	/**
	 * Ends every conversation it still plays (as failed: the platform stopped), waits a
	 * little for that to reach the archive, and stops its server.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.players.forEach(Player::stop);
		this.calls.values().forEach(LiveCall::stop);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		try {
			for (LiveCall call : this.calls.values()) {
				call.awaitWritten(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	private void action(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!exchange.getRequestURI().getPath().equals(ACTIONS)) {
				respond(exchange, Answer.text(404, "not found"));
				return;
			}
			if (!exchange.getRequestMethod().equals("POST")) {
				exchange.getResponseHeaders().set("Allow", "POST");
				respond(exchange, Answer.text(405, "actions are POSTed"));
				return;
			}
			byte[] body = read(exchange.getRequestBody());
			if (body == null) {
				respond(exchange, Answer.text(413, "an action is at most " + MAX_BODY + " bytes"));
				return;
			}
			String problem = this.signature.problem(exchange.getRequestHeaders().getFirst(ActionSignature.HEADER), body,
					Instant.now());
			if (problem != null) {
				respond(exchange, Answer.text(401, problem));
				return;
			}
			String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
			if (key == null || key.isBlank()) {
				respond(exchange, Answer.text(400, "no Idempotency-Key"));
				return;
			}
			respond(exchange, once(key, body));
		}
	}

	/**
	 * Decides an action the first time its key comes, and answers the same to every
	 * repeat, even one that comes while the first is decided. A failure is not kept: the
	 * archive tries again, and the action was not taken.
	 */
	private Answer once(String key, byte[] body) {
		CompletableFuture<Answer> mine = new CompletableFuture<>();
		CompletableFuture<Answer> first = this.answers.putIfAbsent(key, mine);
		if (first != null) {
			return first.join();
		}
		try {
			Answer answer = decide(key, body);
			mine.complete(answer);
			this.answered.add(key);
			while (this.answered.size() > ANSWERS_KEPT) {
				this.answers.remove(this.answered.remove());
			}
			return answer;
		}
		catch (RuntimeException ex) {
			this.answers.remove(key);
			Answer failed = Answer.text(500, "the platform failed: " + ex);
			mine.complete(failed);
			return failed;
		}
	}

	private Answer decide(String key, byte[] body) {
		Action action;
		try {
			action = Archive.JSON.readValue(body, Action.class);
		}
		catch (JacksonException ex) {
			return Answer.text(400, "the body is not an action: " + ex.getOriginalMessage());
		}
		String problem = action.problem();
		if (problem != null) {
			return Answer.text(400, problem);
		}
		if (!key.equals(action.actionId())) {
			return Answer.text(400, "the Idempotency-Key is not the action's id");
		}
		LiveCall call = this.calls.get(action.conversationId());
		Answer answer;
		if (call == null) {
			answer = Answer.text(404, "no conversation '" + action.conversationId() + "' plays here");
		}
		else if (action.type().equals("listen")) {
			String refusal = call.refusal(action);
			if (refusal != null) {
				answer = Answer.text(409, refusal);
			}
			else {
				String token = token();
				this.listening.put(token, new Listening(call, Instant.now()));
				answer = Answer.json(200, Map.of("listenUrl", base() + LISTEN + token));
			}
		}
		else {
			String refusal = call.take(action);
			answer = (refusal != null) ? Answer.text(409, refusal)
					: Answer.json(202, Map.of("actionId", action.actionId(), "status", "taken"));
		}
		this.log.accept(action.type() + " on " + action.conversationId() + " by " + action.requestedBy() + ": "
				+ answer.status() + ((answer.status() >= 400) ? " " + answer.text() : ""));
		return answer;
	}

	private String token() {
		byte[] bytes = new byte[24];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private void listen(HttpExchange exchange) throws IOException {
		try (exchange) {
			String token = exchange.getRequestURI().getPath().substring(LISTEN.length());
			Listening listen = this.listening.get(token);
			if (!exchange.getRequestMethod().equals("GET") || listen == null || listen.call().over() != null
					|| listen.issued().isBefore(Instant.now().minus(LISTEN_LIFETIME))) {
				respond(exchange, Answer.text(404, "no such call to listen to, or it is over"));
				return;
			}
			exchange.getResponseHeaders().set("Content-Type", "audio/mpeg");
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			// 0: chunked, as long as the call goes on.
			exchange.sendResponseHeaders(200, 0);
			try {
				ListenAudio.stream(exchange.getResponseBody(), () -> !this.closed && listen.call().over() == null);
			}
			catch (IOException ex) {
				// The listener went away.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static byte @Nullable [] read(InputStream in) throws IOException {
		byte[] body = in.readNBytes(MAX_BODY + 1);
		return (body.length > MAX_BODY) ? null : body;
	}

	private static void respond(HttpExchange exchange, Answer answer) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", answer.contentType());
		exchange.sendResponseHeaders(answer.status(), (answer.body().length == 0) ? -1 : answer.body().length);
		exchange.getResponseBody().write(answer.body());
	}

	/**
	 * An answer to an action, kept for its repeats.
	 */
	record Answer(int status, String contentType, byte[] body) {

		static Answer text(int status, String text) {
			return new Answer(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
		}

		static Answer json(int status, Object body) {
			return new Answer(status, "application/json", Archive.JSON.writeValueAsBytes(body));
		}

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	private record Listening(LiveCall call, Instant issued) {
	}

}
