package org.conversationarchive.live;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.conversationarchive.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actions on live conversations through the API, with a platform on this machine that
 * records what it is sent: who may take which, the 409s naming why an action does not
 * apply, one holder at a time, the platform down (503, nothing done, the same action sent
 * once it is back), outcomes the platform reports, the audit log. In the views tests'
 * context; each test has an org of its own.
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class LiveActionsIntegrationTests {

	static final String SECRET = "a-secret-shared-with-the-platform";

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcTemplate jdbc;

	WebhookReceiver platform;

	String org;

	OrgApi admin;

	@BeforeEach
	void platform() {
		this.platform = new WebhookReceiver();
		this.org = "live-" + UUID.randomUUID().toString().substring(0, 8);
		this.admin = new OrgApi(this.http, this.json, this.org);
		this.admin.as("admin")
			.put("/api/v1/gateway/platform",
					"{\"url\": \"" + this.platform.url("/actions") + "\", \"secret\": \"" + SECRET + "\"}");
		this.platform.answer("/actions", 202);
	}

	@AfterEach
	void stop() {
		this.platform.close();
	}

	@Test
	void aManagerTakesOverRepliesAndHandsBackAndTheOthersAreToldWhoHoldsIt() {
		String id = live("in_progress", null);
		OrgApi mia = this.admin.as("manager", "mia");
		OrgApi max = this.admin.as("manager", "max");

		JsonNode taken = mia.post(actions(id), "{\"type\": \"take_over\"}", 202);
		assertThat(taken.get("state").asString()).isEqualTo("sent");
		assertThat(taken.get("requestedBy").asString()).isEqualTo("mia");
		WebhookReceiver.Received sent = this.platform.received("/actions").get(0);
		assertThat(WebhookReceiver.verify(SECRET, sent.header("X-Archive-Action-Signature"), sent.body())).isTrue();
		assertThat(sent.header("Idempotency-Key")).isEqualTo(taken.get("id").asString());
		JsonNode body = this.json.readTree(sent.body());
		assertThat(body.get("type").asString()).isEqualTo("take_over");
		assertThat(body.get("conversationId").asString()).isEqualTo(id);
		assertThat(body.get("org").asString()).isEqualTo(this.org);

		assertThat(max.post(actions(id), "{\"type\": \"take_over\"}", 409).get("detail").asString())
			.contains("'mia' holds the conversation (took it over");
		assertThat(max.post(actions(id), "{\"type\": \"reply\", \"text\": \"Hello\"}", 409).get("detail").asString())
			.contains("'mia' holds the conversation");
		assertThat(mia.post(actions(id), "{\"type\": \"coach\", \"text\": \"Be nice\"}", 409).get("detail").asString())
			.contains("you hold the conversation: only reply, hand_back and end apply");
		mia.post(actions(id), "{\"type\": \"reply\", \"text\": \"Hello, Mia here\"}", 202);
		mia.post(actions(id), "{\"type\": \"hand_back\"}", 202);
		// The AI agent has it again: a reply needs a take-over first, a coaching note is
		// for anyone who may.
		assertThat(max.post(actions(id), "{\"type\": \"reply\", \"text\": \"Hi\"}", 409).get("detail").asString())
			.contains("the AI agent has the conversation: take it over");
		max.post(actions(id), "{\"type\": \"coach\", \"text\": \"Offer the refund\"}", 202);

		assertThat(this.platform.received("/actions"))
			.extracting((request) -> this.json.readTree(request.body()).get("type").asString())
			.containsExactly("take_over", "reply", "hand_back", "coach");
		assertThat(mia.get(actions(id)).get("items"))
			.extracting((action) -> action.get("type").asString() + " by " + action.get("requestedBy").asString() + ": "
					+ action.get("state").asString())
			.containsExactly("take_over by mia: sent", "reply by mia: sent", "hand_back by mia: sent",
					"coach by max: sent");
		assertThat(this.jdbc.queryForList("select action from archive_audit where org = ? and target = ? order by at",
				String.class, this.org, id))
			.containsExactly("conversation.action.take_over", "conversation.action.reply",
					"conversation.action.hand_back", "conversation.action.coach");
	}

	@Test
	void rolesDecideWhoMayTakeWhichAction() {
		String id = live("in_progress", null);
		OrgApi viewer = this.admin.as("viewer");
		OrgApi analyst = this.admin.as("analyst");
		assertThat(viewer.post(actions(id), "{\"type\": \"listen\"}", 403).get("detail").asString())
			.contains("may not take the listen action");
		for (String action : new String[] { "{\"type\": \"take_over\"}", "{\"type\": \"end\"}",
				"{\"type\": \"enqueue\", \"queue\": \"Billing\"}", "{\"type\": \"transfer\", \"to\": \"+14155550123\"}",
				"{\"type\": \"coach\", \"text\": \"Hi\"}" }) {
			analyst.post(actions(id), action, 403);
		}
		analyst.post(actions(id), "{\"type\": \"listen\"}", 202);
		assertThat(this.platform.received("/actions")).hasSize(1);
		// Reading the actions is anyone's who reads the conversation.
		assertThat(viewer.get(actions(id)).get("items")).hasSize(1);
	}

	@Test
	void listeningPlaysTheCallsAudioThroughTheServiceOnly() {
		String id = live("in_progress", null);
		OrgApi ana = this.admin.as("analyst", "ana");
		byte[] audio = "ID3 not really audio, but bytes to pass through".getBytes(StandardCharsets.UTF_8);
		this.platform.answer("/audio/secret-token", 200, "audio/mpeg", audio);
		assertThat(
				ana.call(HttpMethod.GET, "/api/v1/conversations/" + id + "/listen", null, 409).get("detail").asString())
			.contains("take the listen action first");
		this.platform.answer("/actions", 200, "application/json",
				("{\"listenUrl\": \"" + this.platform.url("/audio/secret-token") + "\"}")
					.getBytes(StandardCharsets.UTF_8));
		JsonNode listen = ana.post(actions(id), "{\"type\": \"listen\"}", 202);
		assertThat(listen.toString()).doesNotContain("secret-token");
		assertThat(ana.get(actions(id)).toString()).doesNotContain("secret-token");
		byte[] played = this.http.get()
			.uri("/api/v1/conversations/" + id + "/listen")
			.header(TestUsers.ORG, this.org)
			.header(TestUsers.ROLE, "analyst")
			.header(TestUsers.USER, "ana")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("audio/mpeg")
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(played).isEqualTo(audio);
		// The platform's answer cannot point the service anywhere else, nor serve a page.
		try (WebhookReceiver elsewhere = new WebhookReceiver()) {
			elsewhere.answer("/audio", 200, "audio/mpeg", audio);
			listenAt(ana, id, elsewhere.url("/audio"));
			assertThat(ana.call(HttpMethod.GET, "/api/v1/conversations/" + id + "/listen", null, 503)
				.get("detail")
				.asString()).contains("not on the platform's own host and port");
		}
		this.platform.answer("/audio/page", 200, "text/html",
				"<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
		listenAt(ana, id, this.platform.url("/audio/page"));
		assertThat(
				ana.call(HttpMethod.GET, "/api/v1/conversations/" + id + "/listen", null, 503).get("detail").asString())
			.contains("answered 200 with text/html");
		// Another analyst has not asked to listen.
		this.admin.as("analyst", "al").call(HttpMethod.GET, "/api/v1/conversations/" + id + "/listen", null, 409);
		this.admin.as("viewer").call(HttpMethod.GET, "/api/v1/conversations/" + id + "/listen", null, 403);
	}

	private void listenAt(OrgApi api, String id, String url) {
		this.platform.answer("/actions", 200, "application/json",
				("{\"listenUrl\": \"" + url + "\"}").getBytes(StandardCharsets.UTF_8));
		api.post(actions(id), "{\"type\": \"listen\"}", 202);
	}

	@Test
	void actionsApplyOnlyWhileTheConversationIsInProgressWithTheAgent() {
		OrgApi mia = this.admin.as("manager", "mia");
		String over = live("completed", null);
		assertThat(mia.post(actions(over), "{\"type\": \"end\"}", 409).get("detail").asString())
			.contains("the conversation is not in progress (its status is completed)");
		String queued = live("human_handoff", "Billing");
		assertThat(mia.post(actions(queued), "{\"type\": \"take_over\"}", 409).get("detail").asString())
			.contains("queued for a human (queue 'Billing')")
			.contains("claim it in the inbox");
		mia.post("/api/v1/conversations/nope/actions", "{\"type\": \"end\"}", 404);
		assertThat(this.platform.received("/actions")).isEmpty();

		// Claimed, it is the claimer's to answer.
		OrgApi ana = this.admin.as("analyst", "ana");
		ana.post("/api/v1/inbox/" + queued + "/claim", null, 200);
		assertThat(mia.post(actions(queued), "{\"type\": \"reply\", \"text\": \"Hi\"}", 409).get("detail").asString())
			.contains("'ana' holds the conversation (claimed it");
		ana.post(actions(queued), "{\"type\": \"reply\", \"text\": \"Hello, how can I help?\"}", 202);
		ana.post(actions(queued), "{\"type\": \"end\"}", 202);
		// Ended through the platform: nobody holds it any more.
		assertThat(
				this.jdbc.queryForObject("select count(*) from archive_live_hold where org = ? and conversation_id = ?",
						Integer.class, this.org, queued))
			.isZero();
	}

	@Test
	void badActionsAreRefusedNamingTheProblem() {
		String id = live("in_progress", null);
		OrgApi mia = this.admin.as("manager", "mia");
		assertThat(detail(mia, id, "{\"type\": \"dance\"}")).contains("'dance' is not an action");
		assertThat(detail(mia, id, "{}")).contains("type: required");
		assertThat(detail(mia, id, "{\"type\": \"transfer\"}")).contains("to: a transfer needs an E.164 phone number");
		assertThat(detail(mia, id, "{\"type\": \"transfer\", \"to\": \"0044 20 7946 0000\"}"))
			.contains("'0044 20 7946 0000' is not one");
		assertThat(detail(mia, id, "{\"type\": \"enqueue\"}")).contains("queue: enqueue needs the human queue's name");
		assertThat(detail(mia, id, "{\"type\": \"coach\", \"text\": \" \"}")).contains("text: coach needs a text");
		assertThat(detail(mia, id, "{\"type\": \"coach\", \"text\": \"" + "x".repeat(4001) + "\"}"))
			.contains("it has 4001");
		assertThat(detail(mia, id, "{\"type\": \"end\", \"text\": \"bye\"}"))
			.contains("text: only for coach and reply");
		assertThat(detail(mia, id, "{\"type\": \"end\", \"reason\": \"bye\"}")).contains("reason");
		assertThat(detail(mia, id, "[1]")).isNotBlank();
		assertThat(this.platform.received("/actions")).isEmpty();
	}

	@Test
	void aPlatformDownIsA503AndTheSameActionIsSentOnceItIsBack() {
		String id = live("in_progress", null);
		OrgApi mia = this.admin.as("manager", "mia").with("Idempotency-Key", "end-" + id);
		this.platform.answer("/actions", 503);
		JsonNode refused = mia.post(actions(id), "{\"type\": \"end\"}", 503);
		assertThat(refused.get("title").asString()).isEqualTo("Agent platform unavailable");
		assertThat(refused.get("detail").asString()).contains("did not take the action in 3 attempts")
			.contains("answered 503")
			.contains("same Idempotency-Key");
		List<WebhookReceiver.Received> attempts = this.platform.received("/actions");
		assertThat(attempts).hasSize(3);
		assertThat(attempts).extracting((attempt) -> attempt.header("X-Archive-Action-Attempt"))
			.containsExactly("1", "2", "3");
		String key = attempts.get(0).header("Idempotency-Key");
		assertThat(mia.get(actions(id)).get("items").get(0).get("state").asString()).isEqualTo("unavailable");

		this.platform.answer("/actions", 202);
		JsonNode sent = mia.post(actions(id), "{\"type\": \"end\"}", 202);
		assertThat(sent.get("state").asString()).isEqualTo("sent");
		assertThat(this.platform.received("/actions")).hasSize(4)
			.allSatisfy((attempt) -> assertThat(attempt.header("Idempotency-Key")).isEqualTo(key));
		// Sent again, it is the same action, not sent twice.
		assertThat(mia.post(actions(id), "{\"type\": \"end\"}", 202).get("id").asString())
			.isEqualTo(sent.get("id").asString());
		assertThat(this.platform.received("/actions")).hasSize(4);
		assertThat(mia.get(actions(id)).get("items")).hasSize(1);
		// The key is for that action only.
		assertThat(mia.post(actions(id), "{\"type\": \"listen\"}", 409).get("detail").asString())
			.contains("was used for another action");
	}

	@Test
	void aPlatformThatRefusesIsNamed() {
		String id = live("in_progress", null);
		OrgApi mia = this.admin.as("manager", "mia");
		this.platform.answer("/actions", 409);
		assertThat(mia.post(actions(id), "{\"type\": \"take_over\"}", 409).get("detail").asString())
			.contains("the agent platform refused the action with 409");
		// The take-over did not happen: nobody holds it.
		this.platform.answer("/actions", 401);
		assertThat(mia.post(actions(id), "{\"type\": \"take_over\"}", 502).get("detail").asString())
			.contains("refused the action with 401");
		this.platform.answer("/actions", 202);
		mia.post(actions(id), "{\"type\": \"take_over\"}", 202);
		assertThat(mia.get(actions(id)).get("items")).extracting((action) -> action.get("state").asString())
			.containsExactly("refused", "refused", "sent");
	}

	@Test
	void theOutcomeIsWhatThePlatformReports() {
		String id = live("in_progress", null);
		OrgApi mia = this.admin.as("manager", "mia");
		String coached = mia.post(actions(id), "{\"type\": \"coach\", \"text\": \"Offer the refund\"}", 202)
			.get("id")
			.asString();
		String transferred = mia.post(actions(id), "{\"type\": \"transfer\", \"to\": \"+14155550123\"}", 202)
			.get("id")
			.asString();
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		this.admin.post("/api/v1/conversations/" + id + "/messages",
				"[{\"at\": \"" + now
						+ "\", \"senderType\": \"coaching\", \"senderName\": \"mia\", \"text\": \"Offer the refund\", "
						+ "\"data\": {\"actionId\": \"" + coached + "\", \"outcome\": \"done\"}}, {\"at\": \"" + now
						+ "\", \"senderType\": \"system\", \"text\": \"Transfer failed\", \"data\": {\"actionId\": \""
						+ transferred + "\", \"outcome\": \"failed\", \"reason\": \"the number did not answer\"}}]",
				200);
		JsonNode listed = mia.get(actions(id)).get("items");
		assertThat(listed.get(0).get("state").asString()).isEqualTo("done");
		assertThat(listed.get(1).get("state").asString()).isEqualTo("failed");
		assertThat(listed.get(1).get("detail").asString()).isEqualTo("the number did not answer");
		assertThat(mia.get(actions(id) + "/" + transferred).get("to").asString()).isEqualTo("+14155550123");
	}

	@Test
	void theInboxListsWhoWaitsForAHumanLongestFirstWithCountsPerQueue() {
		String support = live("human_handoff", "Support");
		String billing = live("human_handoff", "Billing");
		live("in_progress", null);
		// Waiting longer: handed off ten minutes ago.
		String earlier = "call-" + UUID.randomUUID().toString().substring(0, 8);
		Instant started = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
		this.admin.post("/api/v1/conversations",
				"{\"id\": \"" + earlier + "\", \"platform\": \"web\", \"startedAt\": \"" + started
						+ "\", \"status\": \"human_handoff\", \"queue\": \"Billing\", \"messages\": [{\"at\": \""
						+ started + "\", \"senderType\": \"user\", \"text\": \"Anyone there?\"}]}",
				201);
		OrgApi ana = this.admin.as("analyst", "ana");
		ana.post("/api/v1/inbox/" + billing + "/claim", null, 200);

		JsonNode inbox = this.admin.as("viewer").get("/api/v1/inbox");
		assertThat(inbox.get("complete").asBoolean()).isTrue();
		assertThat(inbox.get("items")).extracting((item) -> item.get("conversation").get("id").asString())
			.startsWith(earlier)
			.containsExactlyInAnyOrder(earlier, support, billing);
		assertThat(inbox.get("items").get(0).get("waitingSeconds").asLong()).isGreaterThanOrEqualTo(600);
		assertThat(inbox.get("queues"))
			.extracting((queue) -> queue.get("queue").asString() + ": " + queue.get("waiting").asInt() + " waiting, "
					+ queue.get("claimed").asInt() + " claimed")
			.containsExactly("Billing: 1 waiting, 1 claimed", "Support: 1 waiting, 0 claimed");

		// Answered by the one who claimed it, it waits no more.
		this.admin.post("/api/v1/conversations/" + billing + "/messages",
				"[{\"at\": \"" + Instant.now()
						+ "\", \"senderType\": \"human_agent\", \"senderName\": \"ana\", \"text\": \"Hi, I am here\"}]",
				200);
		assertThat(this.admin.get("/api/v1/inbox").get("items"))
			.extracting((item) -> item.get("conversation").get("id").asString())
			.containsExactlyInAnyOrder(earlier, support);
	}

	@Test
	void twoPeopleClaimingAtOnceOneGetsItTheOtherIsToldWho() throws Exception {
		String id = live("human_handoff", "Support");
		OrgApi ana = this.admin.as("analyst", "ana");
		OrgApi bob = this.admin.as("analyst", "bob");
		try (ExecutorService both = Executors.newVirtualThreadPerTaskExecutor()) {
			Callable<Integer> anaClaims = () -> status(ana, id);
			Callable<Integer> bobClaims = () -> status(bob, id);
			Future<Integer> first = both.submit(anaClaims);
			Future<Integer> second = both.submit(bobClaims);
			assertThat(List.of(first.get(), second.get())).containsExactlyInAnyOrder(200, 409);
		}
		String holder = this.jdbc.queryForObject(
				"select holder from archive_live_hold where org = ? and conversation_id = ?", String.class, this.org,
				id);
		OrgApi other = holder.equals("ana") ? bob : ana;
		assertThat(other.post("/api/v1/inbox/" + id + "/claim", null, 409).get("detail").asString())
			.contains("'" + holder + "' holds the conversation (claimed it");
		assertThat(other.post("/api/v1/inbox/" + id + "/release", null, 409).get("detail").asString())
			.contains("'" + holder + "' holds");
	}

	private static int status(OrgApi api, String id) {
		return api.statusOf(HttpMethod.POST, "/api/v1/inbox/" + id + "/claim", null);
	}

	private static String detail(OrgApi api, String id, String body) {
		return api.call(HttpMethod.POST, actions(id), body, 400).get("detail").asString();
	}

	static String actions(String id) {
		return "/api/v1/conversations/" + id + "/actions";
	}

	/**
	 * A conversation of a status, started a minute ago, with two messages.
	 */
	String live(String status, String queue) {
		String id = "call-" + UUID.randomUUID().toString().substring(0, 8);
		Instant started = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
		this.admin.post("/api/v1/conversations", "{\"id\": \"" + id + "\", \"platform\": \"voice\", \"startedAt\": \""
				+ started + "\", \"status\": \"" + status + "\""
				+ ((queue != null) ? ", \"queue\": \"" + queue + "\"" : "")
				+ ", \"contact\": {\"id\": \"c-1\", \"name\": \"Jo\"}, \"agent\": {\"id\": \"a\", \"name\": \"Ava\"}, "
				+ "\"messages\": [{\"at\": \"" + started + "\", \"senderType\": \"agent\", \"text\": \"Hello\"}, "
				+ "{\"at\": \"" + started.plusSeconds(5)
				+ "\", \"senderType\": \"user\", \"text\": \"I want a refund\"}]}", 201);
		return id;
	}

}
