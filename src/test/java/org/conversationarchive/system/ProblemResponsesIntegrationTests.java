package org.conversationarchive.system;

import java.util.List;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.RawHttp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever refuses a request, the servlet container before the application sees it, the
 * security firewall, the container's error page or a controller, the API answers an RFC
 * 9457 problem with a 4xx that says what is wrong, never an HTML page, a 5xx or a Java
 * type.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=problem-responses",
		"archive.gateway.allow-private-addresses=false" })
class ProblemResponsesIntegrationTests {

	private static final String KEY = "Authorization: Bearer " + ArchiveIntegrationTest.ADMIN_KEY;

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	RestTestClient client;

	@Test
	void whatTheServletContainerRefusesItselfIsAProblemWithItsStatus() {
		String token = "Authorization: Bearer " + "a".repeat(100 * 1024);
		List<RawHttp.Answer> answers = List.of(get("/api/v1/conversations/a%2Fb", KEY),
				get("/api/v1/conversations/a%00b", KEY), get("/api/v1/conversations/a%5Cb", KEY),
				get("/api/v1/conversations/a%zzb", KEY), get("/api/v1/conversations?q=" + "a".repeat(70_000), KEY),
				get("/api/v1/conversations", token),
				get("/api/v1/conversations", KEY, "X-Padding: " + "p".repeat(20_000)),
				get("/api/v1/conversations/%ff%fe", KEY));
		for (RawHttp.Answer answer : answers) {
			assertProblem(answer);
			assertThat(answer.status()).isBetween(400, 499);
		}
		// The pages' errors are HTML, whoever refuses them, without the server's report.
		for (String target : List.of("/conversations/a%2Fb", "/conversations/a%00b")) {
			RawHttp.Answer page = get(target, "Accept: text/html");
			assertThat(page.status()).as(target).isEqualTo(400);
			assertThat(page.contentType()).as(target).startsWith(MediaType.TEXT_HTML_VALUE);
			assertThat(page.body()).as(target).doesNotContain("Tomcat", "Exception");
		}
	}

	@Test
	void whatTheSecurityFirewallRejectsIsAProblemWhateverTheClientAccepts() {
		for (String target : List.of("/api/v1/conversations/a;b=c", "/api/v1//conversations",
				"/api/v1/conversations/%2e%2e/x", "/api/v1/conversations/a%25252Fb")) {
			for (String accept : List.of("Accept: application/json", "Accept: text/html", "Accept: */*")) {
				RawHttp.Answer answer = get(target, KEY, accept);
				assertProblem(answer);
				assertThat(answer.status()).as(target).isEqualTo(400);
			}
		}
		// The pages keep their own error page.
		RawHttp.Answer page = get("/conversations/a;b=c", "Accept: text/html");
		assertThat(page.status()).isEqualTo(400);
		assertThat(page.contentType()).startsWith(MediaType.TEXT_HTML_VALUE);
	}

	@Test
	void theErrorPageAskedForDirectlyIsNothing() {
		RawHttp.Answer answer = get("/error", KEY);
		assertProblem(answer);
		assertThat(answer.status()).isEqualTo(404);
	}

	@Test
	void aParameterOfTheWrongTypeIsA400NamingItOnEveryEndpoint() {
		assertProblem(get("/api/v1/conversations/_explain?size=abc", KEY), 400,
				"parameter size: 'abc' is not a whole number");
		assertProblem(get("/api/v1/conversations/_explain?size=1.5", KEY), 400,
				"parameter size: '1.5' is not a whole number");
		assertProblem(get("/api/v1/audit?size=ten", KEY), 400, "parameter size: 'ten' is not a whole number");
		assertProblem(get("/api/v1/audit?size=99999999999", KEY), 400,
				"parameter size: '99999999999' is not a whole number in range");
		assertProblem(get("/api/v1/conversations/_explain?size=x&size=y", KEY), 400,
				"parameter size: given 2 times; give it once, as a whole number");
		assertProblem(get("/api/v1/artifacts/x?download=maybe", KEY), 400,
				"parameter download: 'maybe' is not true or false");
		assertProblem(get("/api/v1/conversations/x/audio?download=2", KEY), 400,
				"parameter download: '2' is not true or false");
		for (String spelled : List.of("yes", "on", "1", "TRUE")) {
			assertProblem(get("/api/v1/conversations/x/audio?download=" + spelled, KEY), 400,
					"parameter download: '" + spelled + "' is not true or false");
		}
		assertProblem(get("/api/v1/audit?size=%2B5", KEY), 400, "parameter size: '+5' is not a whole number");
		assertProblem(get("/api/v1/conversations?q=%zz", KEY), 400,
				"parameter q: the query string or form could not be decoded");
		assertProblem(get("/api/v1/conversations?q=%C3%28", KEY), 400,
				"parameter q: the query string or form could not be decoded");
	}

	@Test
	void aNumberOutOfRangeIsA400NamingItsField() {
		String conversation = "{\"id\": \"out-of-range\", \"platform\": \"sms\", "
				+ "\"startedAt\": \"2025-01-01T00:00:00Z\", ";
		for (String tooLarge : List.of("2147483648", "-2147483649", "99999999999", "-99999999999999999999999")) {
			assertBadJson("/api/v1/conversations/_search", "{\"repeatContacts\": {\"min\": " + tooLarge + "}}",
					"repeatContacts.min: out of range; expected a whole number from -2147483648 to 2147483647");
			assertBadJson("/api/v1/views",
					"{\"name\": \"n\", \"filter\": {\"repeatContacts\": {\"max\": " + tooLarge + "}}}",
					"filter.repeatContacts.max: out of range; expected a whole number from -2147483648 to 2147483647");
			assertBadJson("/api/v1/exports", "{\"filter\": {\"repeatContacts\": {\"max\": " + tooLarge + "}}}",
					"filter: repeatContacts.max: out of range; expected a whole number from -2147483648 to 2147483647");
		}
		for (String tooLarge : List.of("9223372036854775808", "-9223372036854775809", "1" + "0".repeat(40))) {
			assertBadJson("/api/v1/conversations", conversation + "\"durationSeconds\": " + tooLarge + "}",
					"durationSeconds: out of range; expected a whole number from -9223372036854775808 to "
							+ "9223372036854775807");
		}
		for (String tooLarge : List.of("1e400", "-1e400", "1" + "0".repeat(400) + ".5")) {
			assertBadJson("/api/v1/conversations",
					conversation + "\"sentiment\": [{\"emotion\": \"calm\", \"score\": " + tooLarge + "}]}",
					"sentiment[0].score");
		}
		assertBadJson("/api/v1/conversations/_search", "{\"repeatContacts\": {\"min\": 1" + "0".repeat(1200) + "}}",
				// The parser's limits name no field; the object being read when it gave
				// up is
				// the nearest there is.
				"repeatContacts: a number has more than the 1000 digits the service reads");
	}

	@Test
	void aContentTypeThatCannotBeReadIsSaidToBeSo() {
		RawHttp.Answer answer = RawHttp.send(this.port, "POST", "/api/v1/conversations/_search", KEY,
				"Content-Type: application/json; charset=bogus", "Content-Length: 0");
		assertProblem(answer, 415, "send the body as ");
		assertThat(this.json.readTree(answer.body()).get("detail").asString())
			.endsWith("not 'application/json; charset=bogus', which is not a media type that can be read");
	}

	private void assertBadJson(String path, String body, String detail) {
		byte[] answer = this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(this.json.readTree(answer).get("detail").asString()).as("%s %s", path, body).startsWith(detail);
	}

	private RawHttp.Answer get(String target, String... headers) {
		return RawHttp.send(this.port, "GET", target, headers);
	}

	private void assertProblem(RawHttp.Answer answer, int status, String detail) {
		assertProblem(answer);
		assertThat(answer.status()).isEqualTo(status);
		assertThat(this.json.readTree(answer.body()).get("detail").asString()).startsWith(detail);
	}

	private void assertProblem(RawHttp.Answer answer) {
		assertThat(MediaType.parseMediaType(answer.contentType()).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.as("%s", answer)
			.isTrue();
		JsonNode problem = this.json.readTree(answer.body());
		assertThat(problem.get("status").asInt()).isEqualTo(answer.status());
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).isNotBlank()
			.doesNotContain("java.", "org.conversationarchive", "org.apache", "Exception", "\tat ");
	}

}
