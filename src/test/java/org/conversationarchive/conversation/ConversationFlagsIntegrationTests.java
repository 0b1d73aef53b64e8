package org.conversationarchive.conversation;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestUsers;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Flags set by rules and people against the real engine: {@link ConversationFlags} (once
 * per rule, history, tags, derived fields, concurrent changes), the flags that client
 * writes and appends keep, and the flags API with its roles and audit. Every conversation
 * is in an org of this run's own; the context is ViewsIntegrationTests' (the same
 * properties and imports), so none is started for this class.
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class ConversationFlagsIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ConversationFlags flags;

	@Autowired
	JdbcTemplate jdbc;

	final String org = "flags-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aRuleFlagsAConversationOnceAndItsFlagsOutliveClientWritesUntilAPersonRemovesThem() throws IOException {
		post("f1", """
				"flags": [{"reason": "Customer asked twice", "source": "review_agent"}],
				"tags": {"Call Reason": "billing"},
				"messages": [{"at": "2025-02-01T10:00:05Z", "senderType": "user", "text": "refund please"}]""");

		Flag rule = new Flag("Refund over the limit", FlagSource.RULE, "high", "r-refund", "Refunds", null, null);
		assertThat(this.flags.flag(this.org, "f1", List.of(rule), Map.of("Call Reason", "refund", "Review", "due")))
			.isTrue();
		JsonNode flagged = get("f1");
		assertThat(flagged.get("flagged").asBoolean()).isTrue();
		assertThat(flagged.get("flags")).hasSize(2);
		JsonNode set = flagged.get("flags").get(1);
		assertThat(set.get("ruleId").asString()).isEqualTo("r-refund");
		assertThat(set.get("severity").asString()).isEqualTo("high");
		assertThat(set.has("at")).isTrue();
		// The client's tag value stays beside the rule's.
		assertThat(flagged.get("tags").get("Call Reason").toString()).isEqualTo("[\"billing\",\"refund\"]");
		assertThat(flagged.get("tags").get("Review").asString()).isEqualTo("due");
		assertThat(flagged.get("flagHistory")).hasSize(1);
		assertThat(flagged.get("flagHistory").get(0).get("action").asString()).isEqualTo("flag");
		// Derived again, and searchable once the change answers: the new tag pair.
		assertThat(ids("tag=Review:due")).containsExactly("f1");
		assertThat(ids("tag=Call Reason:billing&tag=Call Reason:refund")).containsExactly("f1");

		// Never twice for one rule, even with other words.
		assertThat(this.flags.flag(this.org, "f1",
				List.of(new Flag("again", FlagSource.RULE, null, "r-refund", null, null, null)), Map.of()))
			.isFalse();
		assertThat(this.flags.flag(this.org, "f1", List.of(), Map.of("Review", "due"))).isFalse();

		// A client replaces it without any flag, says it is not flagged, and sends a flag
		// of its own as a person's and a history: the rule's flag and the history stay,
		// the forged one does not.
		post("f1",
				"""
						"flagged": false,
						"flags": [{"reason": "mine", "source": "user", "by": "mallory"}, {"reason": "agent's", "source": "review_agent"}],
						"flagHistory": [],
						"messages": [{"at": "2025-02-01T10:00:05Z", "senderType": "user", "text": "refund please"}]""");
		JsonNode replaced = get("f1");
		assertThat(reasons(replaced)).containsExactly("agent's", "Refund over the limit");
		assertThat(replaced.get("flagged").asBoolean()).isTrue();
		assertThat(replaced.get("flagHistory")).hasSize(1);

		// Appends keep them.
		this.http.post()
			.uri("/api/v1/conversations/f1/messages")
			.header(TestUsers.ORG, this.org)
			.contentType(MediaType.APPLICATION_JSON)
			.body("[{\"at\": \"2025-02-01T10:01:00Z\", \"senderType\": \"agent\", \"text\": \"on it\"}]")
			.exchange()
			.expectStatus()
			.isOk();
		JsonNode appended = get("f1");
		assertThat(appended.get("messages")).hasSize(2);
		assertThat(reasons(appended)).containsExactly("agent's", "Refund over the limit");
		assertThat(appended.get("flagHistory")).hasSize(1);

		// A person removes every flag: it is no longer flagged, and the rule never flags
		// it again.
		assertThat(this.flags.unflag(this.org, "f1", (flag) -> true, "checked: fine", "ann", false)).isEqualTo(2);
		this.flags.refresh();
		JsonNode unflagged = get("f1");
		assertThat(unflagged.get("flagged").asBoolean()).isFalse();
		assertThat(unflagged.has("flags")).isFalse();
		JsonNode history = unflagged.get("flagHistory");
		assertThat(history).hasSize(3);
		assertThat(history.get(2).get("action").asString()).isEqualTo("unflag");
		assertThat(history.get(2).get("reason").asString()).isEqualTo("checked: fine");
		assertThat(history.get(2).get("by").asString()).isEqualTo("ann");
		assertThat(history.get(2).get("ruleId").asString()).isEqualTo("r-refund");
		assertThat(ids("flagged=false&id=f1")).containsExactly("f1");
		assertThat(this.flags.flag(this.org, "f1", List.of(rule), Map.of())).isFalse();
		assertThat(this.flags.unflag(this.org, "f1", (flag) -> true, "nothing left", "ann")).isZero();
	}

	@Test
	void concurrentChangesAreAllKeptAndOtherOrgsConversationsAreNotFound() throws Exception {
		post("f2", null);
		List<Callable<Boolean>> rules = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Flag flag = new Flag("rule " + i, FlagSource.RULE, "low", "r-" + i, "Rule " + i, null, null);
			rules.add(() -> this.flags.flag(this.org, "f2", List.of(flag), Map.of(), false));
		}
		try (ExecutorService threads = Executors.newFixedThreadPool(rules.size())) {
			for (Future<Boolean> changed : threads.invokeAll(rules)) {
				assertThat(changed.get()).isTrue();
			}
		}
		this.flags.refresh();
		assertThat(get("f2").get("flags")).hasSize(6);
		assertThat(get("f2").get("flagHistory")).hasSize(6);
		assertThat(ids("flagged=true&id=f2")).containsExactly("f2");

		Flag anyone = new Flag("x", FlagSource.USER, null, null, null, "ann", null);
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> this.flags.flag("other-" + this.org, "f2", List.of(anyone), Map.of()));
		// A flag of neither a rule nor a person would be gone at the client's next write.
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(
				() -> this.flags.flag(this.org, "f2", List.of(Flag.of("x", FlagSource.REVIEW_AGENT)), Map.of()));
		assertThatExceptionOfType(NotFoundException.class)
			.isThrownBy(() -> this.flags.unflag("other-" + this.org, "f2", (flag) -> true, null, null));
	}

	@Test
	void analystsFlagAndUnflagThroughTheApiEachChangeAuditedAndViewersReadThem() {
		post("f3", "\"flags\": [{\"reason\": \"Agent was rude\", \"source\": \"review_agent\"}]");
		String flags = "/api/v1/conversations/f3/flags";
		assertThat(problem("viewer", HttpMethod.POST, flags, "{\"reason\": \"mine\"}", 403))
			.contains("needs the analyst role");
		assertThat(problem("viewer", HttpMethod.DELETE, flags + "?reason=mine", null, 403))
			.contains("needs the analyst role");

		JsonNode flagged = ok("analyst", HttpMethod.POST, flags,
				"{\"reason\": \" Promised a refund it cannot give \", \"severity\": \"high\"}");
		assertThat(flagged.get("flagged").asBoolean()).isTrue();
		assertThat(flagged.get("flags")).hasSize(2);
		JsonNode mine = flagged.get("flags").get(1);
		assertThat(mine.get("reason").asString()).isEqualTo("Promised a refund it cannot give");
		assertThat(mine.get("source").asString()).isEqualTo("user");
		assertThat(mine.get("severity").asString()).isEqualTo("high");
		assertThat(mine.get("by").asString()).isEqualTo("ann");
		assertThat(mine.has("at")).isTrue();
		assertThat(flagged.get("history")).hasSize(1);
		assertThat(flagged.has("removed")).isFalse();
		assertThat(ok("viewer", HttpMethod.GET, flags, null)).isEqualTo(flagged);

		assertThat(problem("analyst", HttpMethod.POST, flags, null, 400)).startsWith("the request body is missing");
		assertThat(problem("analyst", HttpMethod.POST, flags, "{}", 400)).startsWith("reason is required");
		assertThat(problem("analyst", HttpMethod.POST, flags, "{\"reason\": \"  \"}", 400))
			.startsWith("reason is required");
		assertThat(problem("analyst", HttpMethod.POST, flags, "{\"reason\": \"" + "x".repeat(1001) + "\"}", 400))
			.isEqualTo("reason is 1001 characters long; at most 1000 are allowed");
		assertThat(problem("analyst", HttpMethod.POST, flags, "{\"reason\": \"x\", \"severity\": \"urgent\"}", 400))
			.isEqualTo("severity: 'urgent' is not one of low, medium, high");
		assertThat(problem("analyst", HttpMethod.POST, flags, "{\"reason\": \"x\", \"why\": 1}", 400)).contains("why");
		assertThat(problem("analyst", HttpMethod.DELETE, flags, null, 400)).startsWith("reason is required");
		assertThat(problem("analyst", HttpMethod.POST, "/api/v1/conversations/nope/flags", "{\"reason\": \"x\"}", 404))
			.isEqualTo("no conversation 'nope'");
		assertThat(problem("viewer", HttpMethod.GET, "/api/v1/conversations/nope/flags", null, 404))
			.isEqualTo("no conversation 'nope'");
		EntityExchangeResult<byte[]> otherOrg = exchange("other-" + this.org, "admin", HttpMethod.POST, flags,
				"{\"reason\": \"x\"}");
		assertThat(otherOrg.getStatus().value()).isEqualTo(404);
		assertThat(get("f3").get("flags")).hasSize(2);

		// Removing takes every flag, whatever set it, each an event of the history.
		JsonNode unflagged = ok("analyst", HttpMethod.DELETE, flags + "?reason=Checked: handled well", null);
		assertThat(unflagged.get("removed").asInt()).isEqualTo(2);
		assertThat(unflagged.get("flagged").asBoolean()).isFalse();
		assertThat(unflagged.get("flags")).isEmpty();
		assertThat(unflagged.get("history")).hasSize(3);
		JsonNode removed = unflagged.get("history").get(1);
		assertThat(removed.get("action").asString()).isEqualTo("unflag");
		assertThat(removed.get("source").asString()).isEqualTo("review_agent");
		assertThat(removed.get("reason").asString()).isEqualTo("Checked: handled well");
		assertThat(removed.get("by").asString()).isEqualTo("ann");
		assertThat(ok("analyst", HttpMethod.DELETE, flags, "{\"reason\": \"again\"}").get("removed").asInt()).isZero();

		assertThat(this.jdbc.query("select action, target, detail from archive_audit where org = ? order by at",
				(row, number) -> row.getString("action") + " " + row.getString("target") + ": "
						+ row.getString("detail"),
				this.org))
			.containsExactly("conversation.flagged f3: Promised a refund it cannot give",
					"conversation.unflagged f3: 2 flags: Checked: handled well");
	}

	/**
	 * Writes a conversation without waiting for it to be searchable: reads by id see it
	 * at once, and a search after a change that waits (or
	 * {@link ConversationFlags#refresh}) sees it too.
	 */
	private void post(String id, @Nullable String more) {
		String line = "{\"id\": \"" + id + "\", \"platform\": \"voice\", \"startedAt\": \"2025-02-01T10:00:00Z\""
				+ ((more != null) ? ", " + more.replace('\n', ' ') : "") + "}\n";
		this.http.post()
			.uri("/api/v1/conversations/_bulk")
			.header(TestUsers.ORG, this.org)
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(line)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	private JsonNode get(String id) {
		return ok("viewer", HttpMethod.GET, "/api/v1/conversations/" + id, null);
	}

	private List<String> ids(String query) {
		List<String> ids = new ArrayList<>();
		ok("viewer", HttpMethod.GET, "/api/v1/conversations?" + query, null).get("items")
			.forEach((item) -> ids.add(item.get("id").asString()));
		return ids;
	}

	private static List<String> reasons(JsonNode conversation) {
		List<String> reasons = new ArrayList<>();
		conversation.get("flags").forEach((flag) -> reasons.add(flag.get("reason").asString()));
		return reasons;
	}

	private String problem(String role, HttpMethod method, String uri, @Nullable String body, int status) {
		EntityExchangeResult<byte[]> result = exchange(role, method, uri, body);
		assertThat(result.getStatus().value()).as(new String(result.getResponseBodyContent())).isEqualTo(status);
		return this.json.readTree(result.getResponseBodyContent()).get("detail").asString();
	}

	private JsonNode ok(String role, HttpMethod method, String uri, @Nullable String body) {
		EntityExchangeResult<byte[]> result = exchange(role, method, uri, body);
		assertThat(result.getStatus().value()).as(new String(result.getResponseBodyContent())).isEqualTo(200);
		return this.json.readTree(result.getResponseBodyContent());
	}

	private EntityExchangeResult<byte[]> exchange(String role, HttpMethod method, String uri, @Nullable String body) {
		return exchange(this.org, role, method, uri, body);
	}

	private EntityExchangeResult<byte[]> exchange(String org, String role, HttpMethod method, String uri,
			@Nullable String body) {
		URI target = UriComponentsBuilder.fromUriString(uri).encode().build().toUri();
		RestTestClient.RequestBodySpec request = this.http.method(method)
			.uri(target)
			.header(TestUsers.ORG, org)
			.header(TestUsers.USER, "ann")
			.header(TestUsers.ROLE, role);
		RestTestClient.RequestHeadersSpec<?> withBody = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).body(body) : request;
		return withBody.exchange().returnResult(byte[].class);
	}

}
