package org.conversationarchive.review;

import java.time.Instant;

import org.conversationarchive.TestUsers;
import org.conversationarchive.generator.ConversationGenerator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The API as an administrator of one org, for the review tests: each writes into an org
 * of its own.
 */
final class OrgApi {

	private final RestTestClient http;

	private final JsonMapper json;

	private final String org;

	OrgApi(RestTestClient http, JsonMapper json, String org) {
		this.http = http;
		this.json = json;
		this.org = org;
	}

	/**
	 * Generated conversations started in a range, as NDJSON.
	 */
	static String generated(JsonMapper json, long seed, int count, Instant from, Instant to) {
		StringBuilder ndjson = new StringBuilder();
		new ConversationGenerator(seed, ConversationGenerator.Options.of(count).withRange(from, to)).stream()
			.forEach((conversation) -> ndjson.append(json.writeValueAsString(conversation)).append('\n'));
		return ndjson.toString();
	}

	void bulk(String ndjson) {
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.header(TestUsers.ORG, this.org)
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	JsonNode get(String uri) {
		return read(this.http.get().uri(uri).header(TestUsers.ORG, this.org).exchange().expectStatus().isOk());
	}

	JsonNode post(String uri, @Nullable String body, int status) {
		RestTestClient.RequestBodySpec request = this.http.post().uri(uri).header(TestUsers.ORG, this.org);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return read(request.exchange().expectStatus().isEqualTo(status));
	}

	JsonNode put(String uri, String body) {
		return read(this.http.put()
			.uri(uri)
			.header(TestUsers.ORG, this.org)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isOk());
	}

	void delete(String uri, int status) {
		this.http.delete().uri(uri).header(TestUsers.ORG, this.org).exchange().expectStatus().isEqualTo(status);
	}

	/**
	 * A {@code GET} that answers {@code status}.
	 */
	void expect(String uri, int status) {
		this.http.get().uri(uri).header(TestUsers.ORG, this.org).exchange().expectStatus().isEqualTo(status);
	}

	private JsonNode read(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody(String.class).returnResult().getResponseBody());
	}

}
