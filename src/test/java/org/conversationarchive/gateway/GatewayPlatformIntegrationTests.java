package org.conversationarchive.gateway;

import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
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
 * The org's agent platform through the API: administrators only, the secret never
 * answered back, every change audited (internal addresses:
 * {@link GatewayAddressIntegrationTests}). In the views tests' context; each test has an
 * org of its own.
 */
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=views-test")
@Import(TestUsers.class)
class GatewayPlatformIntegrationTests {

	static final String PATH = "/api/v1/gateway/platform";

	// TEST-NET-3: public as far as the address check goes, and never connected to here.
	static final String URL = "https://203.0.113.10/archive/actions?token=abc";

	static final String SECRET = "s3cret-shared-with-the-platform";

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	GatewayPlatforms platforms;

	@Autowired
	OwnPlatform own;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void anAdministratorConfiguresThePlatformAndItsSecretIsNeverAnsweredBack() {
		String org = org();
		OrgApi api = new OrgApi(this.http, this.json, org).as("admin");
		api.call(HttpMethod.GET, PATH, null, 404);
		JsonNode saved = api.put(PATH, "{\"url\": \"" + URL + "\", \"secret\": \"" + SECRET + "\"}");
		assertThat(saved.get("url").asString()).isEqualTo(URL);
		assertThat(saved.get("secretSet").asBoolean()).isTrue();
		assertThat(saved.get("updatedBy").asString()).isEqualTo("ada");
		assertThat(saved.has("secret")).isFalse();
		assertThat(saved.toString()).doesNotContain(SECRET);
		JsonNode read = api.get(PATH);
		assertThat(read.get("url").asString()).isEqualTo(URL);
		assertThat(read.toString()).doesNotContain(SECRET);
		assertThat(this.platforms.connection(org)).hasValueSatisfying((connection) -> {
			assertThat(connection.secret()).isEqualTo(SECRET);
			assertThat(connection.toString()).doesNotContain(SECRET);
		});

		// Without a secret, the URL changes and the secret stays.
		String moved = "https://203.0.113.11/actions";
		assertThat(api.put(PATH, "{\"url\": \"" + moved + "\"}").get("url").asString()).isEqualTo(moved);
		assertThat(this.platforms.connection(org)).hasValue(new GatewayClient.Connection(moved, SECRET));

		api.delete(PATH, 204);
		api.call(HttpMethod.GET, PATH, null, 404);
		api.delete(PATH, 404);
		assertThat(this.platforms.connection(org)).isEmpty();
		assertThat(
				this.jdbc.queryForList("select action from archive_audit where org = ? order by at", String.class, org))
			.containsExactly("gateway.platform.created", "gateway.platform.updated", "gateway.platform.deleted");
		assertThat(
				this.jdbc.queryForList("select detail from archive_audit where org = ? order by at", String.class, org))
			.containsExactly("https://203.0.113.10/archive/actions?…, secret set", "https://203.0.113.11/actions",
					"https://203.0.113.11/actions")
			.noneMatch((detail) -> detail.contains(SECRET) || detail.contains("token=abc"));
	}

	@Test
	void aSecretIsRequiredFirstAndMustBeLongEnough() {
		OrgApi api = new OrgApi(this.http, this.json, org()).as("admin");
		assertThat(api.call(HttpMethod.PUT, PATH, "{\"url\": \"" + URL + "\"}", 400).get("detail").asString())
			.contains("secret is required");
		assertThat(api.call(HttpMethod.PUT, PATH, "{\"url\": \"" + URL + "\", \"secret\": \"short\"}", 400)
			.get("detail")
			.asString()).contains("secret: give 16 to 200 characters");
		assertThat(api.call(HttpMethod.PUT, PATH, "{\"url\": \"" + URL + "\", \"secrets\": \"" + SECRET + "\"}", 400)
			.get("detail")
			.asString()).contains("secrets");
	}

	@Test
	void onlyAdministratorsSeeOrChangeThePlatform() {
		String org = org();
		OrgApi admin = new OrgApi(this.http, this.json, org).as("admin");
		admin.put(PATH, "{\"url\": \"" + URL + "\", \"secret\": \"" + SECRET + "\"}");
		for (String role : new String[] { "manager", "analyst", "viewer" }) {
			OrgApi api = admin.as(role);
			assertThat(api.call(HttpMethod.GET, PATH, null, 403).get("detail").asString())
				.contains("may not manage the agent platform");
			api.call(HttpMethod.PUT, PATH, "{\"url\": \"https://203.0.113.12/x\", \"secret\": \"" + SECRET + "1\"}",
					403);
			api.delete(PATH, 403);
		}
		assertThat(admin.get(PATH).get("url").asString()).isEqualTo(URL);
	}

	@Test
	void thePlatformTheServiceRunsNeverReplacesAnAdministratorsOwn() {
		String own = "a secret of the service's own, 32 characters or more";
		String org = org();
		OrgApi admin = new OrgApi(this.http, this.json, org).as("admin");
		admin.put(PATH, "{\"url\": \"" + URL + "\", \"secret\": \"" + SECRET + "\"}");
		assertThat(this.own.anotherConfigured(org)).isTrue();
		assertThat(this.own.connect(org, "http://127.0.0.1:41234/actions", own)).isFalse();
		assertThat(admin.get(PATH).get("url").asString()).isEqualTo(URL);

		String demo = org();
		OrgApi demoAdmin = new OrgApi(this.http, this.json, demo).as("admin");
		assertThat(this.own.anotherConfigured(demo)).isFalse();
		assertThat(this.own.connect(demo, "http://127.0.0.1:41234/actions", own)).isTrue();
		// The next start's platform, on another port, replaces the last one's.
		assertThat(this.own.connect(demo, "http://127.0.0.1:41235/actions", own)).isTrue();
		JsonNode saved = demoAdmin.get(PATH);
		assertThat(saved.get("url").asString()).isEqualTo("http://127.0.0.1:41235/actions");
		assertThat(saved.get("updatedBy").asString()).isEqualTo("demo platform");
		assertThat(this.own.anotherConfigured(demo)).isFalse();
		// Its secret was never told: an administrator's platform needs one of its own.
		assertThat(demoAdmin.call(HttpMethod.PUT, PATH, "{\"url\": \"" + URL + "\"}", 400).get("detail").asString())
			.contains("secret is required");
		this.own.disconnect(demo, "http://127.0.0.1:41235/actions");
		demoAdmin.call(HttpMethod.GET, PATH, null, 404);
		this.own.disconnect(demo, "http://127.0.0.1:41234/actions");
	}

	static String refusal(OrgApi api, String url) {
		return api.call(HttpMethod.PUT, PATH, "{\"url\": \"" + url + "\", \"secret\": \"" + SECRET + "\"}", 400)
			.get("detail")
			.asString();
	}

	static String org() {
		return "gateway-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
