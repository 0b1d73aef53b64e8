package org.conversationarchive;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import org.conversationarchive.generator.ConversationGenerator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The API as one org's user, for tests that each write into an org of their own: its
 * administrator unless {@link #as(String) a role} is given, through the request headers
 * {@link TestUsers} reads (a test that uses it imports {@link TestUsers}).
 */
public final class OrgApi {

	private final RestTestClient http;

	private final JsonMapper json;

	private final String org;

	private final @Nullable String role;

	private final @Nullable String user;

	private final Map<String, String> headers;

	/**
	 * The API as the org's administrator ({@link TestUsers}' default user).
	 * @param http the test's client
	 * @param json the application's JSON
	 * @param org the org
	 */
	public OrgApi(RestTestClient http, JsonMapper json, String org) {
		this(http, json, org, null, null, Map.of());
	}

	private OrgApi(RestTestClient http, JsonMapper json, String org, @Nullable String role, @Nullable String user,
			Map<String, String> headers) {
		this.http = http;
		this.json = json;
		this.org = org;
		this.role = role;
		this.user = user;
		this.headers = headers;
	}

	/**
	 * The same org's API as a user of a role, each role one user: {@code manager} is
	 * {@code mia}, {@code analyst} {@code ana}, {@code viewer} {@code vic} and
	 * {@code admin} {@code ada}.
	 * @param role {@code viewer}, {@code analyst}, {@code manager} or {@code admin}
	 * @return the API as that user
	 */
	public OrgApi as(String role) {
		return new OrgApi(this.http, this.json, this.org, role, user(role), Map.of());
	}

	/**
	 * The same org's API as a named user of a role.
	 * @param role {@code viewer}, {@code analyst}, {@code manager} or {@code admin}
	 * @param user the user id
	 * @return the API as that user
	 */
	public OrgApi as(String role, String user) {
		return new OrgApi(this.http, this.json, this.org, role, user, Map.of());
	}

	/**
	 * The same API sending one more header with every request.
	 * @param name its name
	 * @param value its value
	 * @return the API with it
	 */
	public OrgApi with(String name, String value) {
		Map<String, String> headers = new java.util.LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new OrgApi(this.http, this.json, this.org, this.role, this.user, Map.copyOf(headers));
	}

	/**
	 * Generated conversations started in a range, as NDJSON.
	 * @param json the application's JSON
	 * @param seed the generator's seed
	 * @param count how many
	 * @param from started from
	 * @param to started before
	 * @return one conversation a line
	 */
	public static String generated(JsonMapper json, long seed, int count, Instant from, Instant to) {
		StringBuilder ndjson = new StringBuilder();
		new ConversationGenerator(seed, ConversationGenerator.Options.of(count).withRange(from, to)).stream()
			.forEach((conversation) -> ndjson.append(json.writeValueAsString(conversation)).append('\n'));
		return ndjson.toString();
	}

	/**
	 * Writes conversations, searchable once answered, every one of them stored.
	 * @param ndjson one conversation a line
	 */
	public void bulk(String ndjson) {
		header(this.http.post().uri("/api/v1/conversations/_bulk?refresh=true"))
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	/**
	 * A {@code GET} that must answer {@code 200}.
	 * @param uri the path and query
	 * @return the answer's JSON
	 */
	public JsonNode get(String uri) {
		return call(HttpMethod.GET, uri, null, 200);
	}

	/**
	 * A {@code GET} of a URI taken as it is (a link the API gave, already encoded).
	 * @param uri the URI
	 * @return the answer's JSON
	 */
	public JsonNode get(URI uri) {
		return read(header(this.http.get().uri(uri)).exchange().expectStatus().isOk());
	}

	/**
	 * A {@code POST} of a JSON body, or of none.
	 * @param uri the path and query
	 * @param body the JSON, or {@code null}
	 * @param status the status it must answer
	 * @return the answer's JSON ({@code missing} when it has none)
	 */
	public JsonNode post(String uri, @Nullable String body, int status) {
		return call(HttpMethod.POST, uri, body, status);
	}

	/**
	 * A {@code PUT} of a JSON body that must answer {@code 200}.
	 * @param uri the path and query
	 * @param body the JSON
	 * @return the answer's JSON
	 */
	public JsonNode put(String uri, String body) {
		return call(HttpMethod.PUT, uri, body, 200);
	}

	/**
	 * A {@code DELETE}.
	 * @param uri the path and query
	 * @param status the status it must answer
	 */
	public void delete(String uri, int status) {
		call(HttpMethod.DELETE, uri, null, status);
	}

	/**
	 * A request with a JSON body, or none.
	 * @param method the method
	 * @param uri the path and query
	 * @param body the JSON, or {@code null}
	 * @param status the status it must answer
	 * @return the answer's JSON ({@code missing} when it has none)
	 */
	public JsonNode call(HttpMethod method, String uri, @Nullable String body, int status) {
		RestTestClient.RequestBodySpec request = header(this.http.method(method).uri(uri));
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return read(request.exchange().expectStatus().isEqualTo(status));
	}

	/**
	 * A request whose status is not known in advance (two at once, one of which wins).
	 * @param method the method
	 * @param uri the path and query
	 * @param body the JSON, or {@code null}
	 * @return the status it answered
	 */
	public int statusOf(HttpMethod method, String uri, @Nullable String body) {
		RestTestClient.RequestBodySpec request = header(this.http.method(method).uri(uri));
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange().returnResult().getStatus().value();
	}

	private <S extends RestTestClient.RequestHeadersSpec<?>> S header(S request) {
		request.header(TestUsers.ORG, this.org);
		if (this.role != null) {
			request.header(TestUsers.ROLE, this.role).header(TestUsers.USER, this.user);
		}
		this.headers.forEach(request::header);
		return request;
	}

	private static String user(String role) {
		return switch (role) {
			case "manager" -> "mia";
			case "analyst" -> "ana";
			case "viewer" -> "vic";
			case "admin" -> "ada";
			default -> throw new IllegalArgumentException("no test user of role '" + role + "'");
		};
	}

	private JsonNode read(RestTestClient.ResponseSpec response) {
		byte[] answer = response.expectBody().returnResult().getResponseBody();
		return (answer == null || answer.length == 0) ? this.json.missingNode() : this.json.readTree(answer);
	}

}
