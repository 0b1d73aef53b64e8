package org.conversationarchive.views;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestUsers;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saved views against the real engine: saving with every validation, the built-in views,
 * who sees and changes what, the org's default, running a view as a search with exact
 * counts on a small fixture, and a view stored in an older filter version. The fixture
 * and the views live in indices of their own; users and roles come from request headers
 * ({@link TestUsers}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class ViewsIntegrationTests {

	static final User ANA = new User("default", "ana", "analyst");

	static final User ANN = new User("default", "ann", "analyst");

	static final User MIA = new User("default", "mia", "manager");

	static final User MAX = new User("default", "max", "manager");

	static final User VIC = new User("default", "vic", "viewer");

	static final User ADMIN = new User("default", "root", "admin");

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ElasticsearchClient elasticsearch;

	@Autowired
	ArchiveIndices indices;

	/**
	 * Seven conversations: five in production (v01, v02, v03, v06, v07), two in test
	 * (v04, v05); voice v01, v02, v04; flagged v01 (by a rule, and angry), v04, v06;
	 * billing tags v06, v07; durations 60, 300, 30, 120, 10, 600, 90 seconds.
	 */
	@BeforeAll
	void fixture() {
		String ndjson = String.join("\n",
				conversation("v01", "voice", "production", "completed", "2025-01-01T10:00:00Z", "2025-01-01T10:01:00Z",
						"\"flagged\": true, \"flags\": [{\"reason\": \"refund\", \"source\": \"rule\"}], "
								+ "\"sentiment\": [{\"emotion\": \"anger\", \"score\": 0.8}], "
								+ "\"messages\": [{\"at\": \"2025-01-01T10:00:10Z\", \"senderType\": \"user\", "
								+ "\"text\": \"I want a refund\"}]"),
				conversation("v02", "voice", "production", "failed", "2025-01-02T10:00:00Z", "2025-01-02T10:05:00Z",
						null),
				conversation("v03", "sms", "production", "completed", "2025-01-03T10:00:00Z", "2025-01-03T10:00:30Z",
						null),
				conversation("v04", "voice", "test", "completed", "2025-01-04T10:00:00Z", "2025-01-04T10:02:00Z",
						"\"flagged\": true, \"messages\": [{\"at\": \"2025-01-04T10:00:10Z\", \"senderType\": \"user\", "
								+ "\"text\": \"a refund for the test call\"}]"),
				conversation("v05", "web", "test", "abandoned", "2025-01-05T10:00:00Z", "2025-01-05T10:00:10Z", null),
				conversation("v06", "web", "production", "completed", "2025-01-06T10:00:00Z", "2025-01-06T10:10:00Z",
						"\"flagged\": true, \"tags\": {\"Call Reason\": \"billing\"}"),
				conversation("v07", "email", "production", "completed", "2025-01-07T10:00:00Z", "2025-01-07T10:01:30Z",
						"\"tags\": {\"Call Reason\": \"billing\"}"))
				+ "\n";
		this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	@Test
	void builtInViewsAreListedFirstAndCannotBeChangedOrDeleted() {
		User fresh = new User("fresh", "vic", "viewer");
		JsonNode views = ok(fresh, HttpMethod.GET, "/api/v1/views", null);
		assertThat(ids(views)).containsExactly("all", "production", "test");
		assertThat(names(views)).containsExactly("All Conversations", "Production Calls", "Test Calls");
		for (JsonNode view : views) {
			assertThat(view.get("builtIn").asBoolean()).isTrue();
			assertThat(view.get("scope").asString()).isEqualTo("org");
			assertThat(view.get("columns")).hasSize(12);
			assertThat(view.get("sort").asString()).isEqualTo("date:desc");
			assertThat(view.get("default").asBoolean()).isEqualTo(view.get("id").asString().equals("all"));
		}
		assertThat(views.get(0).get("filter").size()).isZero();
		JsonNode production = ok(fresh, HttpMethod.GET, "/api/v1/views/production", null);
		assertThat(production.get("filter").get("environments").get(0).asString()).isEqualTo("production");
		assertThat(ok(fresh, HttpMethod.GET, "/api/v1/views/test", null).get("filter").toString())
			.isEqualTo("{\"environments\":[\"test\"]}");

		User manager = new User("fresh", "mia", "manager");
		assertThat(problem(manager, HttpMethod.PUT, "/api/v1/views/all", "{\"name\": \"Everything\"}", 400))
			.isEqualTo("view 'all' (All Conversations) is built in and cannot be changed; "
					+ "save a new view with the changes instead");
		assertThat(problem(manager, HttpMethod.DELETE, "/api/v1/views/test", null, 400))
			.isEqualTo("view 'test' (Test Calls) is built in and cannot be deleted");
		assertThat(ids(ok(fresh, HttpMethod.GET, "/api/v1/views", null))).containsExactly("all", "production", "test");
	}

	@Test
	void aViewIsSavedReadChangedAndDeleted() {
		EntityExchangeResult<byte[]> created = exchange(ANA, HttpMethod.POST, "/api/v1/views", """
				{"name": "  Flagged voice calls ", "filter": {"platforms": ["voice"], "flagged": true},
				 "columns": ["id", "contact", "lastMessage", "duration"], "sort": "duration:asc"}""");
		assertThat(created.getStatus().value()).isEqualTo(201);
		JsonNode view = body(created);
		String id = view.get("id").asString();
		assertThat(id).matches("[a-z0-9]{12}");
		assertThat(created.getResponseHeaders().getLocation()).hasToString("/api/v1/views/" + id);
		assertThat(view.get("name").asString()).isEqualTo("Flagged voice calls");
		assertThat(view.get("filter").toString()).isEqualTo("{\"platforms\":[\"voice\"],\"flagged\":true}");
		assertThat(strings(view.get("columns"))).containsExactly("id", "contact", "lastMessage", "duration");
		assertThat(view.get("sort").asString()).isEqualTo("duration:asc");
		assertThat(view.get("scope").asString()).isEqualTo("private");
		assertThat(view.get("owner").asString()).isEqualTo("ana");
		assertThat(view.get("builtIn").asBoolean()).isFalse();
		assertThat(view.get("default").asBoolean()).isFalse();
		assertThat(view.get("createdAt").asString()).isEqualTo(view.get("updatedAt").asString());

		assertThat(ok(ANA, HttpMethod.GET, "/api/v1/views/" + id, null)).isEqualTo(view);
		List<String> listed = ids(ok(ANA, HttpMethod.GET, "/api/v1/views", null));
		assertThat(listed.subList(0, 3)).containsExactly("all", "production", "test");
		assertThat(listed).contains(id);

		JsonNode changed = ok(ANA, HttpMethod.PUT, "/api/v1/views/" + id,
				"{\"name\": \"Flagged voice\", \"filter\": {\"platforms\": [\"voice\"]}}");
		assertThat(changed.get("name").asString()).isEqualTo("Flagged voice");
		assertThat(changed.get("filter").toString()).isEqualTo("{\"platforms\":[\"voice\"]}");
		assertThat(changed.get("columns")).hasSize(12);
		assertThat(changed.get("sort").asString()).isEqualTo("date:desc");
		assertThat(changed.get("scope").asString()).isEqualTo("private");
		assertThat(changed.get("createdAt")).isEqualTo(view.get("createdAt"));
		assertThat(changed.get("updatedAt").asString()).isGreaterThanOrEqualTo(view.get("updatedAt").asString());
		assertThat(ok(ANA, HttpMethod.GET, "/api/v1/views/" + id, null)).isEqualTo(changed);

		assertThat(exchange(ANA, HttpMethod.DELETE, "/api/v1/views/" + id, null).getStatus().value()).isEqualTo(204);
		assertThat(problem(ANA, HttpMethod.GET, "/api/v1/views/" + id, null, 404)).isEqualTo("no view '" + id + "'");
		assertThat(ids(ok(ANA, HttpMethod.GET, "/api/v1/views", null))).doesNotContain(id);
		problem(ANA, HttpMethod.DELETE, "/api/v1/views/" + id, null, 404);
		problem(ANA, HttpMethod.PUT, "/api/v1/views/" + id, "{\"name\": \"Back\"}", 404);
	}

	@Test
	void aViewKeepsItsFlagSourcesAndEmotionsAndRunsThem() {
		String filter = "{\"flagSources\":[\"rule\",\"user\"],\"emotions\":[{\"emotion\":\"anger\",\"min\":0.5}]}";
		String id = create(ANA, "{\"name\": \"Angry and flagged by a rule\", \"filter\": " + filter + "}");
		assertThat(ok(ANA, HttpMethod.GET, "/api/v1/views/" + id, null).get("filter").toString()).isEqualTo(filter);
		assertThat(ids(ANA, "view=" + id)).containsExactly("v01");
		// The query-string form the pages put in their URL runs the same.
		assertThat(ids(ANA, "flagSource=rule&flagSource=user&emotion=anger:0.5")).containsExactly("v01");
		assertThat(total(ANA, "view=" + id + "&emotion=anger:0.9")).isZero();
	}

	@Test
	void anInvalidViewIsA400ThatNamesTheProblem() {
		assertInvalid("{\"filter\": {}}", "name: is required (1 to 200 characters)");
		assertInvalid("{\"name\": \"   \"}", "name: is required (1 to 200 characters)");
		assertInvalid("{\"name\": \"" + "x".repeat(201) + "\"}", "name: is 201 characters long; at most 200");
		assertInvalid("{\"name\": \"Bad\", \"filter\": {\"statuss\": [\"completed\"]}}",
				"unknown field 'filter.statuss'");
		assertInvalid("{\"name\": \"Bad\", \"filter\": {\"statuses\": [\"done\"]}}",
				"filter.statuses[0]: unknown status 'done'");
		assertInvalid("{\"name\": \"Bad\", \"filter\": {\"env\": [\"production\"]}}", "unknown field 'filter.env'");
		assertInvalid(
				"{\"name\": \"Bad\", \"filter\": {\"from\": \"2025-06-01T00:00:00Z\", \"to\": \"2025-01-01T00:00:00Z\"}}",
				"filter: parameter from: 2025-06-01T00:00:00Z is after parameter to");
		assertInvalid("{\"name\": \"Bad\", \"filter\": {\"content\": {\"query\": \"\\\"unclosed\"}}}",
				"filter: parameter q: the content query has a \" at position 1 that is never closed");
		assertInvalid("{\"name\": \"Bad\", \"filter\": [\"voice\"]}", "filter: expected an object");
		assertInvalid("{\"name\": \"Bad\", \"columns\": [\"id\", \"price\"]}",
				"columns[1]: unknown column 'price'; expected one of id, platform, contact, status, flow, duration, "
						+ "lastMessage, date, flagged, functions, parameters, tags");
		assertInvalid("{\"name\": \"Bad\", \"columns\": [\"id\", \"date\", \"id\"]}", "columns: 'id' is listed twice");
		assertInvalid("{\"name\": \"Bad\", \"columns\": []}", "columns: list at least one column");
		assertInvalid("{\"name\": \"Bad\", \"sort\": \"price\"}", "parameter sort: unknown sort 'price'");
		assertInvalid("{\"name\": \"Bad\", \"sort\": \"date:up\"}", "parameter sort: unknown direction 'up'");
		assertInvalid("{\"name\": \"Bad\", \"scope\": \"team\"}",
				"scope: unknown scope 'team'; expected one of private, org");
		assertInvalid("{\"name\": \"Bad\", \"colour\": \"red\"}", "unknown field 'colour'");
		assertInvalid("{\"name\": ", "malformed JSON");
		assertInvalid("", "the request body is missing");
		assertThat(ids(ok(ANA, HttpMethod.GET, "/api/v1/views", null))).noneMatch((id) -> id.equals("Bad"));
	}

	@Test
	void aPrivateViewIsItsOwnersOnlyAndAnOrgViewEveryonesInTheOrg() {
		String secret = create(ANA,
				"{\"name\": \"Ana's refunds\", \"filter\": {\"content\": {\"query\": \"refund\"}}}");
		String shared = create(MIA, "{\"name\": \"Billing\", \"scope\": \"org\", \"filter\": "
				+ "{\"tags\": {\"pairs\": [{\"key\": \"Call Reason\", \"value\": \"billing\"}]}}}");

		assertThat(ids(ok(ANA, HttpMethod.GET, "/api/v1/views", null))).contains(secret, shared);
		for (User other : List.of(ANN, MIA, VIC, ADMIN)) {
			assertThat(ids(ok(other, HttpMethod.GET, "/api/v1/views", null))).contains(shared).doesNotContain(secret);
			assertThat(problem(other, HttpMethod.GET, "/api/v1/views/" + secret, null, 404))
				.isEqualTo("no view '" + secret + "'");
			// A viewer may change nothing, so is refused alike whether the view exists.
			int change = (other == VIC) ? 403 : 404;
			problem(other, HttpMethod.PUT, "/api/v1/views/" + secret, "{\"name\": \"Mine now\"}", change);
			problem(other, HttpMethod.DELETE, "/api/v1/views/" + secret, null, change);
			problem(other, HttpMethod.DELETE, "/api/v1/views/nope", null, change);
			assertThat(problem(other, HttpMethod.GET, "/api/v1/conversations?view=" + secret, null, 404))
				.isEqualTo("no view '" + secret + "'");
			problem(other, HttpMethod.POST, "/api/v1/conversations/_search?view=" + secret, "{}", 404);
			assertThat(ok(other, HttpMethod.GET, "/api/v1/views/" + shared, null).get("name").asString())
				.isEqualTo("Billing");
		}
		assertThat(total(ANA, "view=" + secret)).isEqualTo(2);

		User stranger = new User("elsewhere", "mia", "admin");
		assertThat(ids(ok(stranger, HttpMethod.GET, "/api/v1/views", null))).containsExactly("all", "production",
				"test");
		problem(stranger, HttpMethod.GET, "/api/v1/views/" + shared, null, 404);
		problem(stranger, HttpMethod.GET, "/api/v1/views/" + secret, null, 404);
		problem(stranger, HttpMethod.GET, "/api/v1/conversations?view=" + shared, null, 404);
	}

	@Test
	void viewersReadAnalystsKeepPrivateViewsManagersTheOrgs() {
		assertThat(problem(VIC, HttpMethod.POST, "/api/v1/views", "{\"name\": \"Mine\"}", 403))
			.isEqualTo("the viewer role may not save views; it needs the analyst role");
		assertThat(problem(ANA, HttpMethod.POST, "/api/v1/views", "{\"name\": \"Team\", \"scope\": \"org\"}", 403))
			.isEqualTo("the analyst role may not save views for the whole org; it needs the manager role");
		String team = create(MIA,
				"{\"name\": \"Team voice\", \"scope\": \"org\", \"filter\": " + "{\"platforms\": [\"voice\"]}}");
		String own = create(ANA, "{\"name\": \"Mine\"}");

		assertThat(ok(VIC, HttpMethod.GET, "/api/v1/views/" + team, null).get("owner").asString()).isEqualTo("mia");
		assertThat(total(VIC, "view=" + team)).isEqualTo(3);
		problem(VIC, HttpMethod.PUT, "/api/v1/views/" + team, "{\"name\": \"Viewer's\"}", 403);
		assertThat(problem(ANA, HttpMethod.PUT, "/api/v1/views/" + team, "{\"name\": \"Analyst's\"}", 403))
			.isEqualTo("the analyst role may not edit the org's views; it needs the manager role");
		assertThat(problem(ANA, HttpMethod.DELETE, "/api/v1/views/" + team, null, 403))
			.isEqualTo("the analyst role may not delete the org's views; it needs the manager role");
		problem(ANA, HttpMethod.PUT, "/api/v1/views/" + own, "{\"name\": \"Shared\", \"scope\": \"org\"}", 403);

		// Another manager may change the org's view, but not take it private.
		JsonNode renamed = ok(MAX, HttpMethod.PUT, "/api/v1/views/" + team,
				"{\"name\": \"Voice calls\", \"filter\": {\"platforms\": [\"voice\"]}}");
		assertThat(renamed.get("scope").asString()).isEqualTo("org");
		assertThat(renamed.get("owner").asString()).isEqualTo("mia");
		assertThat(problem(MAX, HttpMethod.PUT, "/api/v1/views/" + team,
				"{\"name\": \"Max's\", \"scope\": \"private\"}", 403))
			.isEqualTo("only the user who saved view '" + team + "' may make it private");
		assertThat(ok(MIA, HttpMethod.PUT, "/api/v1/views/" + team, "{\"name\": \"Mia's\", \"scope\": \"private\"}")
			.get("scope")
			.asString()).isEqualTo("private");
		problem(MAX, HttpMethod.GET, "/api/v1/views/" + team, null, 404);
		assertThat(ok(MIA, HttpMethod.PUT, "/api/v1/views/" + team, "{\"name\": \"Shared again\", \"scope\": \"org\"}")
			.get("scope")
			.asString()).isEqualTo("org");
		assertThat(exchange(MAX, HttpMethod.DELETE, "/api/v1/views/" + team, null).getStatus().value()).isEqualTo(204);
		assertThat(exchange(ANA, HttpMethod.DELETE, "/api/v1/views/" + own, null).getStatus().value()).isEqualTo(204);
		problem(new User("default", "robot", "ingest"), HttpMethod.GET, "/api/v1/views", null, 403);
	}

	@Test
	void theOrgHasOneDefaultViewThatFallsBackToAllConversations() {
		User manager = new User("acme", "mia", "manager");
		User analyst = new User("acme", "ana", "analyst");
		User viewer = new User("acme", "vic", "viewer");
		assertThat(ok(viewer, HttpMethod.GET, "/api/v1/views/default", null).get("id").asString()).isEqualTo("all");

		String flagged = create(manager,
				"{\"name\": \"Flagged\", \"scope\": \"org\", \"filter\": {\"flagged\": true}, \"sort\": \"duration\"}");
		JsonNode set = ok(manager, HttpMethod.PUT, "/api/v1/views/default", "{\"viewId\": \"" + flagged + "\"}");
		assertThat(set.get("id").asString()).isEqualTo(flagged);
		assertThat(set.get("default").asBoolean()).isTrue();
		JsonNode current = ok(viewer, HttpMethod.GET, "/api/v1/views/default", null);
		assertThat(current.get("id").asString()).isEqualTo(flagged);
		assertThat(current.get("name").asString()).isEqualTo("Flagged");
		assertThat(current.get("filter").toString()).isEqualTo("{\"flagged\":true}");
		assertThat(current.get("sort").asString()).isEqualTo("duration:desc");
		assertThat(current.get("default").asBoolean()).isTrue();
		for (JsonNode view : ok(viewer, HttpMethod.GET, "/api/v1/views", null)) {
			assertThat(view.get("default").asBoolean()).isEqualTo(view.get("id").asString().equals(flagged));
		}
		assertThat(ok(viewer, HttpMethod.GET, "/api/v1/views/" + flagged, null).get("default").asBoolean()).isTrue();

		assertThat(problem(analyst, HttpMethod.PUT, "/api/v1/views/default", "{\"viewId\": \"all\"}", 403))
			.isEqualTo("the analyst role may not set the org's default view; it needs the manager role");
		String mine = create(manager, "{\"name\": \"Mine\"}");
		assertThat(problem(manager, HttpMethod.PUT, "/api/v1/views/default", "{\"viewId\": \"" + mine + "\"}", 400))
			.isEqualTo("viewId: view '" + mine
					+ "' is private; only an org view or a built-in view can be the org's default");
		assertThat(problem(manager, HttpMethod.PUT, "/api/v1/views/default", "{\"viewId\": \"nope\"}", 404))
			.isEqualTo("no view 'nope'");
		assertThat(problem(manager, HttpMethod.PUT, "/api/v1/views/default", "{}", 400))
			.startsWith("viewId: is required");
		assertThat(problem(manager, HttpMethod.PUT, "/api/v1/views/" + flagged,
				"{\"name\": \"Flagged\", \"scope\": \"private\"}", 400))
			.isEqualTo("scope: view '" + flagged
					+ "' is the org's default view and must stay an org view; set another default first");
		assertThat(ok(viewer, HttpMethod.GET, "/api/v1/views/default", null).get("id").asString()).isEqualTo(flagged);

		assertThat(ok(manager, HttpMethod.PUT, "/api/v1/views/default", "{\"viewId\": \"production\"}").get("id")
			.asString()).isEqualTo("production");
		assertThat(ok(viewer, HttpMethod.GET, "/api/v1/views/default", null).get("name").asString())
			.isEqualTo("Production Calls");
		ok(manager, HttpMethod.PUT, "/api/v1/views/default", "{\"viewId\": \"" + flagged + "\"}");

		assertThat(exchange(manager, HttpMethod.DELETE, "/api/v1/views/" + flagged, null).getStatus().value())
			.isEqualTo(204);
		JsonNode fallback = ok(viewer, HttpMethod.GET, "/api/v1/views/default", null);
		assertThat(fallback.get("id").asString()).isEqualTo("all");
		assertThat(fallback.get("builtIn").asBoolean()).isTrue();
		assertThat(fallback.get("default").asBoolean()).isTrue();
		assertThat(ok(viewer, HttpMethod.GET, "/api/v1/views", null).get(0).get("default").asBoolean()).isTrue();
	}

	@Test
	void aViewRunsAsASearchAndTheOtherParametersNarrowIt() {
		String flaggedVoice = create(ANA,
				"{\"name\": \"Flagged voice calls\", \"filter\": {\"platforms\": [\"voice\"], \"flagged\": true}, "
						+ "\"columns\": [\"id\", \"status\", \"duration\"]}");
		assertThat(total(ANA, "")).isEqualTo(7);
		assertThat(total(ANA, "view=all")).isEqualTo(7);
		assertThat(total(ANA, "view=production")).isEqualTo(5);
		assertThat(total(ANA, "view=test")).isEqualTo(2);
		assertThat(ids(ANA, "view=" + flaggedVoice)).containsExactly("v04", "v01");
		assertThat(ids(ANA, "view=" + flaggedVoice + "&env=production")).containsExactly("v01");
		assertThat(ids(ANA, "view=" + flaggedVoice + "&env=test")).containsExactly("v04");
		assertThat(total(ANA, "view=" + flaggedVoice + "&status=failed")).isZero();
		// The same filter twice narrows: production and test have nothing in common.
		assertThat(total(ANA, "view=production&env=test")).isZero();
		assertThat(total(ANA, "view=production&env=production&env=test")).isEqualTo(5);
		assertThat(total(ANA, "view=production&platform=voice")).isEqualTo(2);
		assertThat(total(ANA, "view=production&flagged=true")).isEqualTo(2);

		JsonNode page = search(ANA, "view=" + flaggedVoice);
		assertThat(page.get("view").get("id").asString()).isEqualTo(flaggedVoice);
		assertThat(page.get("view").get("name").asString()).isEqualTo("Flagged voice calls");
		assertThat(strings(page.get("view").get("columns"))).containsExactly("id", "status", "duration");
		assertThat(page.get("facets").get("platform").get(0).get("value").asString()).isEqualTo("voice");
		assertThat(search(ANA, "env=test").has("view")).isFalse();

		JsonNode posted = post(ANA, "view=" + flaggedVoice, "{\"environments\": [\"production\"]}", 200);
		assertThat(posted.get("total").asInt()).isEqualTo(1);
		assertThat(posted.get("view").get("id").asString()).isEqualTo(flaggedVoice);
		assertThat(post(ANA, "view=test", "{\"platforms\": [\"web\"]}", 200).get("total").asInt()).isEqualTo(1);
		assertThat(post(ANA, "view=test", "", 200).get("total").asInt()).isEqualTo(2);

		// Content queries of the view and on top of it both apply, and both highlight.
		String refunds = create(ANA, "{\"name\": \"Refunds\", \"filter\": {\"content\": {\"query\": \"refund\"}}}");
		assertThat(ids(ANA, "view=" + refunds)).containsExactly("v04", "v01");
		JsonNode wanted = search(ANA, "view=" + refunds + "&q=want");
		assertThat(wanted.get("total").asInt()).isEqualTo(1);
		assertThat(wanted.get("items").get(0).get("highlights").get(0).get("fragments").get(0).asString())
			.isEqualTo("I <mark>want</mark> a <mark>refund</mark>");

		assertThat(problem(ANA, HttpMethod.GET, "/api/v1/conversations?view=nope", null, 404))
			.isEqualTo("no view 'nope'");
		assertThat(problem(ANA, HttpMethod.POST, "/api/v1/conversations/_search?view=nope", "{}", 404))
			.isEqualTo("no view 'nope'");
		assertThat(problem(ANA, HttpMethod.GET, "/api/v1/conversations?view=all&view=test", null, 400))
			.isEqualTo("parameter view: given 2 times; give it once");
		problem(ANA, HttpMethod.GET, "/api/v1/conversations?view=" + "x".repeat(600), null, 404);
	}

	@Test
	void theViewsSortAppliesUnlessSortIsGiven() {
		String longest = create(ANA, "{\"name\": \"Production, shortest first\", \"filter\": "
				+ "{\"environments\": [\"production\"]}, \"sort\": \"duration:asc\"}");
		assertThat(ids(ANA, "view=" + longest)).containsExactly("v03", "v01", "v07", "v02", "v06");
		assertThat(ids(ANA, "view=" + longest + "&sort=date:desc")).containsExactly("v07", "v06", "v03", "v02", "v01");
		assertThat(ids(ANA, "view=production")).containsExactly("v07", "v06", "v03", "v02", "v01");

		// A cursor walks the view in its order.
		JsonNode first = search(ANA, "view=" + longest + "&size=3");
		assertThat(ids(first)).containsExactly("v03", "v01", "v07");
		JsonNode second = search(ANA, "view=" + longest + "&size=3&cursor=" + first.get("nextCursor").asString());
		assertThat(ids(second)).containsExactly("v02", "v06");
	}

	@Test
	void aViewStoredInAnOlderFilterVersionIsMigratedWhenReadAndRewrittenWhenSaved() throws IOException {
		// Version 0 spelt filters as the query string does.
		this.elasticsearch.index((index) -> index.index(this.indices.views())
			.id("default:legacy1")
			.routing("default")
			.refresh(Refresh.True)
			.withJson(new StringReader("""
					{"org": "default", "kind": "view", "id": "legacy1", "name": "Production billing",
					 "filter": {"env": "production", "tag": ["Call Reason:billing"], "tagMatch": "any"},
					 "columns": ["id", "tags"], "sort": "date:asc", "scope": "org", "owner": "mia",
					 "createdAt": "2024-06-01T00:00:00Z", "updatedAt": "2024-06-01T00:00:00Z"}""")));

		JsonNode view = ok(VIC, HttpMethod.GET, "/api/v1/views/legacy1", null);
		assertThat(view.get("filter").toString()).isEqualTo(
				"{\"environments\":[\"production\"],\"tags\":{\"match\":\"any\",\"pairs\":[{\"key\":\"Call Reason\",\"value\":\"billing\"}]}}");
		assertThat(ids(VIC, "view=legacy1")).containsExactly("v06", "v07");
		assertThat(ids(VIC, "view=legacy1&flagged=true")).containsExactly("v06");
		assertThat(ids(ok(VIC, HttpMethod.GET, "/api/v1/views", null))).contains("legacy1");
		assertThat(stored("legacy1").has("filterVersion")).isFalse();

		JsonNode saved = ok(MIA, HttpMethod.PUT, "/api/v1/views/legacy1",
				"{\"name\": \"Production billing\", \"filter\": " + view.get("filter") + ", \"sort\": \"date:asc\"}");
		assertThat(saved.get("filter")).isEqualTo(view.get("filter"));
		JsonNode stored = stored("legacy1");
		assertThat(stored.get("filterVersion").asInt()).isEqualTo(1);
		assertThat(stored.get("filter").has("env")).isFalse();
		assertThat(stored.get("filter").get("environments").get(0).asString()).isEqualTo("production");
		assertThat(stored.get("createdAt").asString()).isEqualTo("2024-06-01T00:00:00Z");
		assertThat(ids(VIC, "view=legacy1")).containsExactly("v06", "v07");
	}

	@Test
	void aStoredViewWhoseFilterNoLongerReadsIsLeftOutOfTheListAndCanBeDeleted() throws IOException {
		User manager = new User("damaged", "mia", "manager");
		String kept = create(manager, "{\"name\": \"Kept\", \"scope\": \"org\"}");
		this.elasticsearch.index((index) -> index.index(this.indices.views())
			.id("damaged:broken1")
			.routing("damaged")
			.refresh(Refresh.True)
			.withJson(new StringReader("""
					{"org": "damaged", "kind": "view", "id": "broken1", "name": "Staging", "filterVersion": 1,
					 "filter": {"environments": ["staging"]}, "columns": ["id"], "sort": "date", "scope": "org",
					 "owner": "mia", "createdAt": "2024-06-01T00:00:00Z", "updatedAt": "2024-06-01T00:00:00Z"}""")));
		ok(manager, HttpMethod.PUT, "/api/v1/views/default", "{\"viewId\": \"" + kept + "\"}");

		assertThat(ids(ok(manager, HttpMethod.GET, "/api/v1/views", null))).containsExactly("all", "production", "test",
				kept);
		problem(manager, HttpMethod.GET, "/api/v1/views/broken1", null, 500);
		assertThat(exchange(manager, HttpMethod.DELETE, "/api/v1/views/broken1", null).getStatus().value())
			.isEqualTo(204);
		problem(manager, HttpMethod.GET, "/api/v1/views/broken1", null, 404);
		assertThat(ok(manager, HttpMethod.GET, "/api/v1/views/default", null).get("id").asString()).isEqualTo(kept);
	}

	private JsonNode stored(String id) throws IOException {
		var response = this.elasticsearch
			.get((get) -> get.index(this.indices.views()).id("default:" + id).routing("default"), JsonNode.class);
		assertThat(response.found()).isTrue();
		return response.source();
	}

	private void assertInvalid(String body, String detail) {
		assertThat(problem(ANA, HttpMethod.POST, "/api/v1/views", body, 400)).startsWith(detail);
	}

	private String create(User user, String body) {
		EntityExchangeResult<byte[]> result = exchange(user, HttpMethod.POST, "/api/v1/views", body);
		assertThat(result.getStatus().value()).as(new String(result.getResponseBodyContent())).isEqualTo(201);
		return body(result).get("id").asString();
	}

	private int total(User user, String query) {
		return search(user, query).get("total").asInt();
	}

	private List<String> ids(User user, String query) {
		JsonNode page = search(user, query + "&size=100");
		assertThat(page.get("total").asInt()).isEqualTo(page.get("items").size());
		return ids(page);
	}

	private static List<String> ids(JsonNode pageOrList) {
		JsonNode items = pageOrList.has("items") ? pageOrList.get("items") : pageOrList;
		List<String> ids = new ArrayList<>();
		items.forEach((item) -> ids.add(item.get("id").asString()));
		return ids;
	}

	private static List<String> names(JsonNode views) {
		List<String> names = new ArrayList<>();
		views.forEach((view) -> names.add(view.get("name").asString()));
		return names;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

	private JsonNode search(User user, String query) {
		return ok(user, HttpMethod.GET, "/api/v1/conversations?" + query, null);
	}

	private JsonNode post(User user, String query, String filter, int status) {
		EntityExchangeResult<byte[]> result = exchange(user, HttpMethod.POST, "/api/v1/conversations/_search?" + query,
				filter);
		assertThat(result.getStatus().value()).isEqualTo(status);
		return body(result);
	}

	private JsonNode ok(User user, HttpMethod method, String uri, @Nullable String body) {
		EntityExchangeResult<byte[]> result = exchange(user, method, uri, body);
		assertThat(result.getStatus().value()).as(new String(result.getResponseBodyContent())).isEqualTo(200);
		return body(result);
	}

	private String problem(User user, HttpMethod method, String uri, @Nullable String body, int status) {
		EntityExchangeResult<byte[]> result = exchange(user, method, uri, body);
		assertThat(result.getStatus().value()).as(new String(result.getResponseBodyContent())).isEqualTo(status);
		return body(result).get("detail").asString();
	}

	private JsonNode body(EntityExchangeResult<byte[]> result) {
		return this.json.readTree(result.getResponseBodyContent());
	}

	private EntityExchangeResult<byte[]> exchange(User user, HttpMethod method, String uri, @Nullable String body) {
		URI target = UriComponentsBuilder.fromUriString(uri).encode().build().toUri();
		RestTestClient.RequestBodySpec request = this.http.method(method)
			.uri(target)
			.header(TestUsers.ORG, user.org())
			.header(TestUsers.USER, user.id())
			.header(TestUsers.ROLE, user.role());
		RestTestClient.RequestHeadersSpec<?> withBody = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).body(body) : request;
		return withBody.exchange().returnResult(byte[].class);
	}

	private static String conversation(String id, String platform, String environment, String status, String startedAt,
			String endedAt, @Nullable String more) {
		return "{\"id\": \"" + id + "\", \"platform\": \"" + platform + "\", \"environment\": \"" + environment
				+ "\", \"status\": \"" + status + "\", \"startedAt\": \"" + startedAt + "\", \"endedAt\": \"" + endedAt
				+ "\"" + ((more != null) ? ", " + more : "") + "}";
	}

	record User(String org, String id, String role) {
	}

}
