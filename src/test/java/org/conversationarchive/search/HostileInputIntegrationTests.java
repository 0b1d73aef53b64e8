package org.conversationarchive.search;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.ConversationArchiveApplication;
import org.conversationarchive.TestElasticsearch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and hostile values in every parameter of the query-string filter, every field of
 * the JSON filter, cursors and views: whatever comes, the answer is never a 5xx, and
 * every refusal is a problem that says what is wrong in words.
 * <p>
 * jqwik drives the tries (and shrinks a failing one to its smallest form); it has no
 * Spring integration here, so the service is started once for the container, as
 * {@code @ArchiveIntegrationTest} starts it, against the test JVM's Elasticsearch, and
 * asked over HTTP.
 */
class HostileInputIntegrationTests {

	private static final int TRIES = 100;

	/** The JSON filter's fields the generator fills. */
	private static final List<String> FILTER_FIELDS = List.of("ids", "statuses", "from", "to", "platforms", "flows",
			"directions", "environments", "flagged", "repeatContacts", "contacts", "content", "functions", "tags",
			"parameters", "agents", "liveAgentHandled", "flagSources", "emotions", "signals", "languages", "flowNodes",
			"exitNodes");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static ConfigurableApplicationContext service;

	private static String base;

	@BeforeContainer
	static void startService() {
		// As arguments: default properties lose to the application's own (its data
		// directory would be ./data, shared with every run).
		service = new SpringApplicationBuilder(ConversationArchiveApplication.class).run(
				"--spring.elasticsearch.uris=" + TestElasticsearch.uri(),
				"--archive.data-dir=" + TestElasticsearch.temporaryDirectory("archive-hostile-input"),
				"--archive.demo.enabled=false", "--archive.security.bootstrap-key=" + ArchiveIntegrationTest.ADMIN_KEY,
				"--archive.elasticsearch.index-prefix=hostile-input", "--server.port=0");
		base = "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
		String fixture = SearchFixture.conversations().stream().collect(Collectors.joining("\n", "", "\n"));
		HttpResponse<String> stored = send(
				HttpRequest.newBuilder(URI.create(base + "/api/v1/conversations/_bulk?refresh=true"))
					.header("Content-Type", "application/x-ndjson")
					.POST(HttpRequest.BodyPublishers.ofString(fixture)));
		assertThat(stored.statusCode()).isEqualTo(200);
	}

	@AfterContainer
	static void stopService() {
		if (service != null) {
			service.close();
		}
	}

	@Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
	void theQueryStringFilterNeverFailsTheService(@ForAll("queryStrings") List<Map.Entry<String, String>> parameters) {
		String query = parameters.stream()
			.map((parameter) -> encode(parameter.getKey()) + "=" + encode(parameter.getValue()))
			.collect(Collectors.joining("&"));
		assertAnswered(get("/api/v1/conversations?" + query));
		assertAnswered(get("/api/v1/conversations/_explain?" + query));
	}

	@Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
	void theJsonFilterNeverFailsTheService(@ForAll("filters") Object filter,
			@ForAll("queryStrings") List<Map.Entry<String, String>> paging) {
		String body = JSON.writeValueAsString(filter);
		String query = paging.stream()
			.filter((parameter) -> ConversationSearchController.PAGING.contains(parameter.getKey()))
			.map((parameter) -> encode(parameter.getKey()) + "=" + encode(parameter.getValue()))
			.collect(Collectors.joining("&"));
		assertAnswered(post("/api/v1/conversations/_search?" + query, body));
		Map<String, Object> export = new LinkedHashMap<>();
		export.put("filter", filter);
		assertAnswered(post("/api/v1/exports?preview=true", JSON.writeValueAsString(export)));
	}

	@Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
	void aCursorOfAnyFormNeverFailsTheService(@ForAll("cursors") String cursor, @ForAll("sorts") String sort) {
		assertAnswered(get("/api/v1/conversations?size=2&sort=" + encode(sort) + "&cursor=" + encode(cursor)));
		assertAnswered(post("/api/v1/conversations/_search?size=2&cursor=" + encode(cursor), "{}"));
		assertAnswered(get("/api/v1/conversations?q=refund&sort=relevance&cursor=" + encode(cursor)));
	}

	@Property(tries = TRIES, shrinking = ShrinkingMode.BOUNDED)
	void aViewOfAnyFormNeverFailsTheService(@ForAll("views") Object view) {
		HttpResponse<String> saved = post("/api/v1/views", JSON.writeValueAsString(view));
		assertAnswered(saved);
		if (saved.statusCode() == 201) {
			String id = JSON.readTree(saved.body()).get("id").asString();
			assertAnswered(get("/api/v1/conversations?size=5&view=" + encode(id)));
			assertAnswered(post("/api/v1/conversations/_search?view=" + encode(id), "{}"));
			assertAnswered(post("/api/v1/exports?preview=true", "{\"viewId\": " + JSON.writeValueAsString(id) + "}"));
			assertAnswered(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/views/" + encode(id))).DELETE()));
		}
	}

	/**
	 * The JSON generator knows every field of the filter model (the query-string one
	 * takes its names from {@link FilterParameters#NAMES}): a field added later is thrown
	 * at too, or this fails.
	 */
	@Example
	void everyPartOfTheFilterModelsIsGenerated() {
		assertThat(FILTER_FIELDS).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(Filter.class.getRecordComponents()).map(RecordComponent::getName).toList());
	}

	@Provide
	Arbitrary<List<Map.Entry<String, String>>> queryStrings() {
		List<String> names = new ArrayList<>(FilterParameters.NAMES);
		names.addAll(ConversationSearchController.PAGING);
		Arbitrary<String> name = Arbitraries.frequencyOf(weighted(20, Arbitraries.of(names)),
				weighted(1, hostileText()));
		return Combinators.combine(name, Arbitraries.oneOf(plausibleValues(), hostileText()))
			.as(Map::entry)
			.list()
			.ofMaxSize(6);
	}

	@Provide
	Arbitrary<Object> filters() {
		return filterObject();
	}

	@Provide
	Arbitrary<String> cursors() {
		return Arbitraries.oneOf(hostileText(),
				Arbitraries.strings()
					.withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
					.ofMaxLength(600),
				Arbitraries.strings()
					.withChars("[]{},:\"0123456789.-eEtruefalsn ")
					.ofMaxLength(200)
					.map((text) -> java.util.Base64.getUrlEncoder()
						.withoutPadding()
						.encodeToString(text.getBytes(StandardCharsets.UTF_8))),
				anyJson(3).map((value) -> java.util.Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(JSON.writeValueAsBytes(value))));
	}

	@Provide
	Arbitrary<String> sorts() {
		return Arbitraries.oneOf(Arbitraries.of("date", "date:asc", "lastMessage:desc", "duration", "relevance"),
				hostileText());
	}

	@Provide
	Arbitrary<Object> views() {
		Arbitrary<Object> name = Arbitraries.oneOf(
				Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30).map((text) -> (Object) text), anyJson(1));
		Arbitrary<Object> columns = Arbitraries.oneOf(Arbitraries
			.of("id", "platform", "contact", "status", "flow", "duration", "lastMessage", "date", "flagged",
					"functions", "parameters", "tags", "price", "ID", "")
			.list()
			.ofMaxSize(14)
			.map((list) -> (Object) list), anyJson(2));
		Arbitrary<Object> sort = Arbitraries.oneOf(sorts().map((text) -> (Object) text), anyJson(1));
		Arbitrary<Object> scope = Arbitraries
			.oneOf(Arbitraries.of("private", "org", "public", "ORG").map((text) -> (Object) text), anyJson(1));
		return Combinators.combine(name, filterObject(), columns, sort, scope, Arbitraries.integers().between(0, 31))
			.as((n, filter, c, s, sc, present) -> {
				Map<String, Object> view = new LinkedHashMap<>();
				String[] keys = { "name", "filter", "columns", "sort", "scope" };
				Object[] values = { n, filter, c, s, sc };
				for (int i = 0; i < keys.length; i++) {
					if ((present & (1 << i)) != 0 || i == 0) {
						view.put(keys[i], values[i]);
					}
				}
				return view;
			});
	}

	/**
	 * A JSON filter: its fields, each with a plausible or a hostile value, now and then a
	 * field it does not have, or not an object at all.
	 */
	private Arbitrary<Object> filterObject() {
		Map<String, Arbitrary<Object>> fields = new LinkedHashMap<>();
		fields.put("ids", strings(hostileText()));
		fields.put("statuses", strings(Arbitraries.of("completed", "failed", "abandoned", "COMPLETED", "done")));
		fields.put("from", value(instants()));
		fields.put("to", value(instants()));
		fields.put("platforms", strings(Arbitraries.of("voice", "web", "sms", "fax", "")));
		fields.put("flows", strings(hostileText()));
		fields.put("directions", strings(Arbitraries.of("inbound", "outbound", "sideways")));
		fields.put("environments", strings(Arbitraries.of("production", "test", "staging")));
		fields.put("flagged", Arbitraries.oneOf(Arbitraries.of(true, false).map((b) -> (Object) b), anyJson(1)));
		fields.put("repeatContacts", Arbitraries.oneOf(
				Combinators.combine(numbers(), numbers()).as((min, max) -> (Object) mapOf("min", min, "max", max)),
				anyJson(2)));
		fields.put("contacts", strings(hostileText()));
		fields.put("content",
				Arbitraries.oneOf(
						Combinators
							.combine(value(contentQueries()), value(Arbitraries.of("user", "agent", "system", "robot")),
									value(Arbitraries.oneOf(Arbitraries.of("first:30s", "last:2m", "first:1h",
											"last:0s", "first:99999999h", "middle:3s", "first:-1s"), hostileText())))
							.as((query, speaker,
									within) -> (Object) mapOf("query", query, "speaker", speaker, "within", within)),
						anyJson(2)));
		fields.put("functions", strings(hostileText()));
		fields.put("tags", Arbitraries.oneOf(Combinators.combine(value(Arbitraries.of("all", "any", "some")), pairs())
			.as((match, pairs) -> (Object) mapOf("match", match, "pairs", pairs)), anyJson(2)));
		fields.put("parameters", Arbitraries.oneOf(pairs(), anyJson(2)));
		fields.put("agents", strings(hostileText()));
		fields.put("liveAgentHandled",
				Arbitraries.oneOf(Arbitraries.of(true, false).map((b) -> (Object) b), anyJson(1)));
		fields.put("flagSources", strings(Arbitraries.of("rule", "user", "review_agent", "RULE", "robot")));
		Arbitrary<Object> emotion = Combinators
			.combine(value(Arbitraries.oneOf(Arbitraries.of("anger", "joy"), hostileText())), value(numbers()))
			.as((name, min) -> (Object) mapOf("emotion", name, "min", min));
		fields.put("emotions", Arbitraries.oneOf(
				Arbitraries.oneOf(emotion, anyJson(1)).list().ofMaxSize(4).map((list) -> (Object) list), anyJson(2)));
		Arbitrary<Object> bounds = Arbitraries.oneOf(
				Combinators.combine(numbers(), numbers()).as((min, max) -> (Object) mapOf("min", min, "max", max)),
				anyJson(1));
		Arbitrary<Object> flag = Arbitraries.oneOf(Arbitraries.of(true, false).map((b) -> (Object) b), anyJson(1));
		fields.put("signals",
				Arbitraries.oneOf(Combinators.combine(bounds, bounds, flag, strings(hostileText()), flag, bounds)
					.as((turns, silence, failed, functions, repeated, rank) -> {
						Map<String, Object> signals = new LinkedHashMap<>();
						signals.put("turns", turns);
						signals.put("longestSilenceSeconds", silence);
						signals.put("functionFailed", failed);
						signals.put("failedFunctions", functions);
						signals.put("customerRepeated", repeated);
						signals.put("contactDailyRank", rank);
						return (Object) signals;
					}), anyJson(2)));
		fields.put("languages",
				strings(Arbitraries.oneOf(Arbitraries.of("en", "es", "EN", "Spanish", "xx", ""), hostileText())));
		fields.put("flowNodes",
				strings(Arbitraries.oneOf(Arbitraries.of("greeting", "intent", "a>b", ""), hostileText())));
		fields.put("exitNodes", strings(Arbitraries.oneOf(Arbitraries.of("end", "handoff", "x:y", ""), hostileText())));
		assertThat(fields.keySet()).containsExactlyElementsOf(FILTER_FIELDS);
		fields.put("unknownField", anyJson(1));
		List<String> names = new ArrayList<>(fields.keySet());
		Arbitrary<Object> object = Arbitraries.of(names).set().ofMaxSize(6).flatMap((chosen) -> {
			List<String> ordered = names.stream().filter(chosen::contains).toList();
			if (ordered.isEmpty()) {
				return Arbitraries.just((Object) new LinkedHashMap<String, Object>());
			}
			List<Arbitrary<Object>> values = ordered.stream().map(fields::get).toList();
			return Combinators.combine(values).as((list) -> {
				Map<String, Object> filter = new LinkedHashMap<>();
				for (int i = 0; i < ordered.size(); i++) {
					filter.put(ordered.get(i), list.get(i));
				}
				return (Object) filter;
			});
		});
		return Arbitraries.frequencyOf(weighted(12, object), weighted(1, anyJson(2)));
	}

	private static Arbitrary<Object> pairs() {
		Arbitrary<Object> pair = Combinators
			.combine(value(hostileText()), value(Arbitraries.oneOf(hostileText(), Arbitraries.just("*"))))
			.as((key, value) -> (Object) mapOf("key", key, "value", value));
		return Arbitraries.oneOf(pair, anyJson(1)).list().ofMaxSize(4).map((list) -> (Object) list);
	}

	private static Arbitrary<Object> strings(Arbitrary<String> each) {
		return Arbitraries.oneOf(value(each).list().ofMaxSize(4).map((list) -> (Object) list), anyJson(2));
	}

	/**
	 * Mostly the given values, sometimes any JSON value in their place.
	 */
	private static Arbitrary<Object> value(Arbitrary<?> plausible) {
		return Arbitraries.frequencyOf(weighted(5, plausible.map((v) -> (Object) v)), weighted(1, anyJson(1)));
	}

	private static Arbitrary<Object> numbers() {
		return Arbitraries.oneOf(Arbitraries.integers().between(-5, 20).map((n) -> (Object) n),
				Arbitraries
					.of(Integer.MAX_VALUE, Long.MAX_VALUE, new BigInteger("99999999999999999999999"),
							new BigDecimal("1.5"), new BigDecimal("1e400"), -1, 0)
					.map((n) -> (Object) n),
				anyJson(1));
	}

	/**
	 * Any JSON value: null, booleans, numbers of every size, hostile strings, and arrays
	 * and objects of them nested up to the depth.
	 */
	private static Arbitrary<Object> anyJson(int depth) {
		Arbitrary<Object> scalar = Arbitraries.oneOf(Arbitraries.just(null),
				Arbitraries.of(true, false).map((b) -> (Object) b), Arbitraries.integers().map((n) -> (Object) n),
				Arbitraries
					.of(Long.MIN_VALUE, new BigInteger("123456789012345678901234567890"), new BigDecimal("-1e-400"),
							new BigDecimal("2024.5"), 0.1)
					.map((n) -> (Object) n),
				hostileText().map((text) -> (Object) text));
		if (depth <= 0) {
			return scalar;
		}
		Arbitrary<Object> inner = anyJson(depth - 1);
		return Arbitraries.frequencyOf(weighted(6, scalar),
				weighted(1, inner.list().ofMaxSize(4).map((list) -> (Object) list)),
				weighted(1, Arbitraries.maps(hostileText(), inner).ofMaxSize(3).map((map) -> (Object) map)));
	}

	/**
	 * What a person or a program might type, and what an attacker would: empty and blank,
	 * control and NUL characters, quotes and parentheses of the content syntax, escapes,
	 * numbers out of range, dates beyond any calendar, very long text, any Unicode.
	 */
	private static Arbitrary<String> hostileText() {
		return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
				Arbitraries.strings().withChars("()\"-*~: OR%\\'{}[],.0123456789aZ").ofMaxLength(60),
				Arbitraries.of("", " ", "\u0000", "%", "%zz", "%00", "../..", "null", "true", "yes", "-1", "0",
						"2147483648", "9223372036854775808", "1e309", "NaN", "-0", "1.5", "0x10", "\uD83D\uDE00",
						"\u202Eevil", "<script>", "' OR 1=1 --", "a:", ":b", "k.:v", "a..b:*", "key:*",
						"2025-13-01T00:00:00Z", "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "2025-01-01",
						"2025-01-01T00:00:00+25:00"),
				Arbitraries.strings().alpha().ofMinLength(900).ofMaxLength(1100),
				Arbitraries.integers().between(1, 60).map((depth) -> "(".repeat(depth) + "refund" + ")".repeat(depth)));
	}

	private static Arbitrary<String> contentQueries() {
		return Arbitraries.oneOf(hostileText(),
				Arbitraries.of("refund", "refund OR password", "\"want a refund\"", "\"refund order\"~3", "refund*",
						"refund -voucher", "(refund OR password) -voucher", "re*", "-a", "\"a\"~51", "a OR", "OR",
						"((a)", "a)"));
	}

	private static Arbitrary<String> instants() {
		// Any instant Java can read, four-digit years or not (Elasticsearch reads only
		// those), and the edges of what indices hold.
		Arbitrary<String> anyInstant = Arbitraries.longs()
			.between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
			.map((second) -> Instant.ofEpochSecond(second).toString());
		return Arbitraries.oneOf(
				Arbitraries.of("2025-01-01T00:00:00Z", "2024-06-30T23:59:59.999Z", "+10000-01-01T00:00:00Z",
						"-0001-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"),
				anyInstant, hostileText());
	}

	private static Arbitrary<String> plausibleValues() {
		return Arbitraries.of("completed", "failed", "voice", "web", "inbound", "production", "test", "true", "false",
				"3", "0", "5", "refund", "refund OR password", "user", "agent", "Language:en", "account:*", "any",
				"all", "ava", "c1", "s01", "2025-01-01T00:00:00Z", "date:asc", "relevance", "all", "production", "rule",
				"review_agent", "anger:0.6", "joy:1", "anger:", ":0.5", "anger:NaN", "anger:1e400", "anger:-0", "-1",
				"2147483648", "1.5");
	}

	private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put(k1, v1);
		map.put(k2, v2);
		return map;
	}

	private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2, String k3, Object v3) {
		Map<String, Object> map = mapOf(k1, v1, k2, v2);
		map.put(k3, v3);
		return map;
	}

	private static <T> Tuple.Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<T> arbitrary) {
		return Tuple.of(weight, arbitrary);
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
	}

	private static HttpResponse<String> post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.header("Authorization", "Bearer " + ArchiveIntegrationTest.ADMIN_KEY)
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Never a 5xx; a refusal is a problem whose detail is words, not internals.
	 */
	private static void assertAnswered(HttpResponse<String> response) {
		String what = response.request().method() + " " + response.request().uri() + " -> " + response.statusCode()
				+ " " + response.body();
		assertThat(response.statusCode()).as(what).isLessThan(500);
		if (response.statusCode() >= 400) {
			assertThat(MediaType.parseMediaType(response.headers().firstValue("Content-Type").orElse("text/plain"))
				.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).as(what).isTrue();
			JsonNode problem = JSON.readTree(response.body());
			assertThat(problem.get("status").asInt()).as(what).isEqualTo(response.statusCode());
			assertThat(problem.get("detail").asString()).as(what)
				.isNotBlank()
				.doesNotContain("java.", "tools.jackson", "org.conversationarchive", "Exception", "\tat ");
		}
	}

}
