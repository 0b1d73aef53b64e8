package org.conversationarchive.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.RawHttp;
import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every request authenticated, each role held to its limits, and nothing crosses orgs:
 * API keys, OIDC tokens, key management, the audit log and the limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ArchiveIntegrationTest(properties = { "archive.security.max-failed-attempts=10", "archive.security.max-body-size=64KB",
		"archive.security.max-upload-size=256KB" })
class SecurityIntegrationTests {

	static final KeyPair ISSUER = rsa();

	static final KeyPair STRANGER = rsa();

	@DynamicPropertySource
	static void jwt(DynamicPropertyRegistry registry) throws IOException {
		Path key = TestElasticsearch.temporaryDirectory("jwt").resolve("issuer.pub");
		Files.writeString(key,
				"-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(ISSUER.getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
		registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> key.toUri().toString());
	}

	@Autowired
	RestTestClient admin;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	final String org = "acme-" + UUID.randomUUID().toString().substring(0, 8);

	final Map<String, String> keys = new java.util.HashMap<>();

	@BeforeAll
	void orgWithAKeyPerRole() {
		this.admin.post()
			.uri("/api/v1/orgs")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("id", this.org, "name", "Acme"))
			.exchange()
			.expectStatus()
			.isCreated();
		for (String role : new String[] { "viewer", "analyst", "manager", "admin", "ingest" }) {
			JsonNode created = body(this.admin.post()
				.uri("/api/v1/orgs/{org}/api-keys", this.org)
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("name", role + " key", "role", role))
				.exchange()
				.expectStatus()
				.isCreated());
			assertThat(created.get("key").asString()).startsWith("ca_");
			this.keys.put(role, created.get("key").asString());
		}
	}

	@Test
	void everyApiRequestNeedsValidCredentials() {
		RestTestClient anonymous = client(null);
		anonymous.get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		client("ca_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		anonymous.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@Test
	void apiRequestsCreateNoSession() {
		// Machines send their key with every request: a session each would pile up on
		// the server and answer every request with a cookie nobody sends back.
		client(this.keys.get("viewer")).get()
			.uri("/api/v1/conversations?q=refund")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("Set-Cookie");
		client(this.keys.get("viewer")).get()
			.uri("/api/v1/exports")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.doesNotExist("Set-Cookie");
		client(null).get()
			.uri("/api/v1/views")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.doesNotExist("Set-Cookie");
	}

	@Test
	void aKeyNeverSignsInTheSessionItIsSentWith() {
		// The login page gives a session that holds no sign-in (its CSRF token).
		String cookie = client(null).get()
			.uri("/login")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseHeaders()
			.getFirst("Set-Cookie");
		assertThat(cookie).startsWith("JSESSIONID=");
		String session = cookie.substring(0, cookie.indexOf(';'));
		client(this.keys.get("viewer")).get()
			.uri("/api/v1/conversations")
			.header("Cookie", session)
			.exchange()
			.expectStatus()
			.isOk();
		// The key was for that request alone: the session still signs nobody in.
		client(null).get()
			.uri("/api/v1/conversations")
			.header("Cookie", session)
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void eachRoleIsHeldToItsLimits() {
		String conversation = "{\"id\": \"role-check\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}";
		client(this.keys.get("viewer")).get().uri("/api/v1/conversations").exchange().expectStatus().isOk();
		post(this.keys.get("viewer"), "/api/v1/conversations", conversation).expectStatus().isForbidden();
		post(this.keys.get("analyst"), "/api/v1/conversations", conversation).expectStatus().isForbidden();
		post(this.keys.get("ingest"), "/api/v1/conversations", conversation).expectStatus().isCreated();
		client(this.keys.get("ingest")).get().uri("/api/v1/conversations").exchange().expectStatus().isForbidden();
		// People flag conversations; machines that write them do not.
		String flag = "{\"reason\": \"Check the refund\"}";
		post(this.keys.get("viewer"), "/api/v1/conversations/role-check/flags", flag).expectStatus().isForbidden();
		post(this.keys.get("ingest"), "/api/v1/conversations/role-check/flags", flag).expectStatus().isForbidden();
		post(this.keys.get("analyst"), "/api/v1/conversations/role-check/flags", flag).expectStatus().isOk();
		client(this.keys.get("manager")).delete()
			.uri("/api/v1/conversations/role-check")
			.exchange()
			.expectStatus()
			.isForbidden();
		client(this.keys.get("admin")).delete()
			.uri("/api/v1/conversations/role-check")
			.exchange()
			.expectStatus()
			.isNoContent();
		post(this.keys.get("admin"), "/api/v1/orgs", "{\"id\": \"sneaky\", \"name\": \"Sneaky\"}").expectStatus()
			.isForbidden();
		post(this.keys.get("manager"), "/api/v1/orgs/" + this.org + "/api-keys",
				"{\"name\": \"x\", \"role\": \"admin\"}")
			.expectStatus()
			.isForbidden();
		// A field the API does not know is refused, not dropped.
		post(this.keys.get("admin"), "/api/v1/orgs/" + this.org + "/api-keys",
				"{\"name\": \"x\", \"role\": \"viewer\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}")
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).startsWith("unknown field 'expiresAt'"));
		// An org's admin manages its own keys only; other orgs do not exist for it.
		post(this.keys.get("admin"), "/api/v1/orgs/default/api-keys", "{\"name\": \"x\", \"role\": \"viewer\"}")
			.expectStatus()
			.isNotFound();
		client(this.keys.get("admin")).get()
			.uri("/api/v1/orgs/{org}/api-keys", this.org)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(5)
			.jsonPath("$.items[0].secretHash")
			.doesNotExist()
			.jsonPath("$.items[0].key")
			.doesNotExist();
	}

	@Test
	void viewersPlayAudioAndAnalystsDownloadIt() {
		String id = "played-" + UUID.randomUUID().toString().substring(0, 8);
		post(this.keys.get("ingest"), "/api/v1/conversations",
				"{\"id\": \"" + id + "\", \"platform\": \"voice\", \"startedAt\": \"2025-01-01T00:00:00Z\"}")
			.expectStatus()
			.isCreated();
		client(this.keys.get("ingest")).put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.contentType(MediaType.parseMediaType("audio/mpeg"))
			.body(mp3())
			.exchange()
			.expectStatus()
			.isCreated();

		client(this.keys.get("viewer")).get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header("Range", "bytes=0-99")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT);
		client(this.keys.get("viewer")).get()
			.uri("/api/v1/conversations/{id}/audio?download=true", id)
			.exchange()
			.expectStatus()
			.isForbidden();
		client(this.keys.get("analyst")).get()
			.uri("/api/v1/conversations/{id}/audio?download=true", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Content-Disposition", "attachment; filename=\"" + id + ".mp3\"");
		client(this.keys.get("ingest")).get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void nothingCrossesOrgs() {
		String id = "shared-" + UUID.randomUUID().toString().substring(0, 8);
		this.admin.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id
					+ "\", \"platform\": \"voice\", \"startedAt\": \"2025-02-01T00:00:00Z\", \"summary\": \"default org\","
					+ " \"messages\": [{\"at\": \"2025-02-01T00:00:01Z\", \"senderType\": \"user\", \"text\": \"zebra crossing\"}]}")
			.exchange()
			.expectStatus()
			.isCreated();
		RestTestClient acme = client(this.keys.get("admin"));
		acme.get().uri("/api/v1/conversations/{id}", id).exchange().expectStatus().isNotFound();
		acme.get()
			.uri("/api/v1/conversations?q=zebra")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(0);
		acme.delete().uri("/api/v1/conversations/{id}", id).exchange().expectStatus().isNotFound();

		// The same id in another org is another conversation.
		post(this.keys.get("ingest"), "/api/v1/conversations", "{\"id\": \"" + id
				+ "\", \"platform\": \"sms\", \"startedAt\": \"2024-02-01T00:00:00Z\", \"summary\": \"acme org\"}")
			.expectStatus()
			.isCreated();
		acme.get()
			.uri("/api/v1/conversations/{id}", id)
			.exchange()
			.expectBody()
			.jsonPath("$.summary")
			.isEqualTo("acme org");
		this.admin.get()
			.uri("/api/v1/conversations/{id}", id)
			.exchange()
			.expectBody()
			.jsonPath("$.summary")
			.isEqualTo("default org");
		this.admin.get()
			.uri("/api/v1/conversations?id=" + id)
			.exchange()
			.expectBody()
			.jsonPath("$.total")
			.isEqualTo(1)
			.jsonPath("$.items[0].platform")
			.isEqualTo("voice");
	}

	@Test
	void noViewExportFileOrLinkCrossesOrgs() {
		String id = "isolated-" + UUID.randomUUID().toString().substring(0, 8);
		this.admin.post()
			.uri("/api/v1/conversations")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id + "\", \"platform\": \"voice\", \"startedAt\": \"2025-03-01T00:00:00Z\"}")
			.exchange()
			.expectStatus()
			.isCreated();
		RestTestClient acme = client(this.keys.get("admin"));

		// A view of the default org.
		String view = body(this.admin.post()
			.uri("/api/v1/views")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"Default org only\", \"scope\": \"org\", \"filter\": {\"ids\": [\"" + id + "\"]}}")
			.exchange()
			.expectStatus()
			.isCreated()).get("id").asString();
		acme.get().uri("/api/v1/views/{id}", view).exchange().expectStatus().isNotFound();
		acme.get().uri("/api/v1/conversations?view={id}", view).exchange().expectStatus().isNotFound();
		assertThat(body(acme.get().uri("/api/v1/views").exchange()).toString()).doesNotContain(view);

		// An export of the default org, and its link.
		JsonNode export = body(this.admin.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"viewId\": \"" + view + "\"}")
			.exchange()
			.expectStatus()
			.isAccepted());
		String exportId = export.get("id").asString();
		await().atMost(java.time.Duration.ofSeconds(30))
			.until(() -> body(this.admin.get().uri("/api/v1/exports/{id}", exportId).exchange()).get("status")
				.asString()
				.equals("completed"));
		acme.get().uri("/api/v1/exports/{id}", exportId).exchange().expectStatus().isNotFound();
		acme.post().uri("/api/v1/exports/{id}/restart", exportId).exchange().expectStatus().isNotFound();
		assertThat(body(acme.get().uri("/api/v1/exports").exchange()).toString()).doesNotContain(exportId);
		acme.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"viewId\": \"" + view + "\"}")
			.exchange()
			.expectStatus()
			.isNotFound();
		String link = body(this.admin.get().uri("/api/v1/exports/{id}", exportId).exchange()).get("downloadUrl")
			.asString();
		byte[] csv = client(null).get()
			.uri(link)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(new String(csv, java.nio.charset.StandardCharsets.UTF_8)).contains(id);
		// A link names its org: one re-signed for another org cannot be made, and one
		// altered to name it is refused.
		String token = link.substring(link.lastIndexOf('/') + 1);
		String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
		String altered = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(payload.replaceFirst("^default", this.org).getBytes())
				+ token.substring(token.indexOf('.'));
		client(null).get().uri(link.replace(token, altered)).exchange().expectStatus().isNotFound();

		// Files of the default org's conversation.
		this.admin.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.contentType(MediaType.parseMediaType("audio/mpeg"))
			.body(mp3())
			.exchange()
			.expectStatus()
			.isCreated();
		LinkedMultiValueMap<String, Object> upload = new LinkedMultiValueMap<>();
		upload.add("file", new ByteArrayResource("a,b\n1,2\n".getBytes()) {
			@Override
			public String getFilename() {
				return "numbers.csv";
			}
		});
		String artifact = body(this.admin.post()
			.uri("/api/v1/conversations/{id}/artifacts", id)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(upload)
			.exchange()
			.expectStatus()
			.isCreated()).get("id").asString();
		acme.get().uri("/api/v1/conversations/{id}/audio", id).exchange().expectStatus().isNotFound();
		acme.get().uri("/api/v1/artifacts/{id}", artifact).exchange().expectStatus().isNotFound();
		this.admin.get().uri("/api/v1/artifacts/{id}", artifact).exchange().expectStatus().isOk();
	}

	@Test
	void exportsAndSchedulesNeedTheirRoles() {
		post(this.keys.get("viewer"), "/api/v1/exports", "{}").expectStatus().isForbidden();
		post(this.keys.get("viewer"), "/api/v1/agents/ava/history-exports", "{\"year\": 2025}").expectStatus()
			.isForbidden();
		post(this.keys.get("analyst"), "/api/v1/exports?preview=true", "{}").expectStatus().isOk();
		client(this.keys.get("analyst")).get().uri("/api/v1/schedules").exchange().expectStatus().isForbidden();
		client(this.keys.get("manager")).get().uri("/api/v1/schedules").exchange().expectStatus().isOk();
		post(this.keys.get("ingest"), "/api/v1/exports", "{}").expectStatus().isForbidden();
		client(this.keys.get("viewer")).get().uri("/api/v1/notifications").exchange().expectStatus().isOk();
	}

	private static byte[] mp3() {
		java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
		for (int i = 0; i < 20; i++) {
			byte[] frame = new byte[417];
			frame[0] = (byte) 0xFF;
			frame[1] = (byte) 0xFB;
			frame[2] = (byte) 0x90;
			frame[3] = (byte) 0x64;
			frames.writeBytes(frame);
		}
		return frames.toByteArray();
	}

	@Test
	void aRevokedKeyStopsWorking() {
		JsonNode created = body(this.admin.post()
			.uri("/api/v1/orgs/{org}/api-keys", this.org)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "temporary", "role", "viewer"))
			.exchange()
			.expectStatus()
			.isCreated());
		RestTestClient temporary = client(created.get("key").asString());
		temporary.get().uri("/api/v1/conversations").exchange().expectStatus().isOk();
		this.admin.delete()
			.uri("/api/v1/orgs/{org}/api-keys/{id}", this.org, created.get("id").asString())
			.exchange()
			.expectStatus()
			.isNoContent();
		temporary.get().uri("/api/v1/conversations").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void oidcTokensCarryOrgAndRole() throws JOSEException {
		RestTestClient analyst = client(jwt(ISSUER, this.org, "analyst", Instant.now().plusSeconds(300)));
		analyst.get()
			.uri("/api/v1/me")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.org")
			.isEqualTo(this.org)
			.jsonPath("$.role")
			.isEqualTo("analyst")
			.jsonPath("$.userId")
			.isEqualTo("ada@example.com");
		post(jwt(ISSUER, this.org, "viewer", Instant.now().plusSeconds(300)), "/api/v1/conversations",
				"{\"id\": \"x\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}")
			.expectStatus()
			.isForbidden();
		client(jwt(ISSUER, this.org, "analyst", Instant.now().minusSeconds(60))).get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		client(jwt(STRANGER, this.org, "admin", Instant.now().plusSeconds(300))).get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		client(jwt(ISSUER, null, "admin", Instant.now().plusSeconds(300))).get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void deletesAndKeyChangesAreAudited() {
		String id = "audited-" + UUID.randomUUID().toString().substring(0, 8);
		post(this.keys.get("ingest"), "/api/v1/conversations",
				"{\"id\": \"" + id + "\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\"}")
			.expectStatus()
			.isCreated();
		client(this.keys.get("admin")).delete()
			.uri("/api/v1/conversations/{id}", id)
			.exchange()
			.expectStatus()
			.isNoContent();
		JsonNode entries = body(
				client(this.keys.get("admin")).get().uri("/api/v1/audit?size=50").exchange().expectStatus().isOk())
			.get("items");
		List<JsonNode> deleted = new ArrayList<>();
		boolean keyCreated = false;
		for (JsonNode entry : entries) {
			if (entry.get("action").asString().equals("conversation.deleted")
					&& entry.get("target").asString().equals(id)) {
				deleted.add(entry);
			}
			keyCreated |= entry.get("action").asString().equals("api-key.created");
		}
		// Once, by the key that deleted it, with no detail.
		assertThat(deleted).singleElement()
			.satisfies((entry) -> assertThat(entry.get("actor").asString()).startsWith("api-key:"))
			.satisfies((entry) -> assertThat(entry.has("detail")).isFalse());
		assertThat(keyCreated).isTrue();
		client(this.keys.get("manager")).get().uri("/api/v1/audit").exchange().expectStatus().isForbidden();
		// Another org's log holds none of it.
		assertThat(body(this.admin.get().uri("/api/v1/audit?size=1000").exchange()).toString()).doesNotContain(id);
	}

	@Test
	void bodiesOverTheLimitAreRefusedWhateverTheirFraming() throws Exception {
		// 64 KB in this context; sent chunked, with no length to refuse them by.
		String big = "x".repeat(200 * 1024);
		String conversation = "{\"id\": \"big\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\", "
				+ "\"summary\": \"" + big + "\"}";
		String message = "[{\"at\": \"2025-01-01T00:00:01Z\", \"senderType\": \"user\", \"text\": \"" + big + "\"}]";
		String filter = "{\"ids\": [\"" + big + "\"]}";
		String view = "{\"name\": \"big\", \"filter\": " + filter + "}";
		String json = "application/json";
		for (String[] request : List.of(new String[] { "ingest", "POST", "/api/v1/conversations", conversation },
				new String[] { "ingest", "POST", "/api/v1/conversations/big/messages", message },
				new String[] { "viewer", "POST", "/api/v1/conversations/_search", filter },
				new String[] { "analyst", "POST", "/api/v1/views", view },
				new String[] { "analyst", "PUT", "/api/v1/views/big", view },
				new String[] { "analyst", "POST", "/api/v1/exports", "{\"filter\": " + filter + "}" },
				new String[] { "manager", "POST", "/api/v1/schedules", "{\"name\": \"" + big + "\"}" })) {
			HttpResponse<String> answer = chunked(request[0], request[1], request[2], json, request[3]);
			assertThat(answer.statusCode()).as("%s %s", request[1], request[2]).isEqualTo(413);
			assertThat(answer.body()).as("%s %s", request[1], request[2])
				.contains("at most 65536 are allowed (archive.security.max-body-size)");
		}
		// Under the limit, chunked bodies are read as any other.
		assertThat(
				chunked("viewer", "POST", "/api/v1/conversations/_search", json, "{\"ids\": [\"none\"]}").statusCode())
			.isEqualTo(200);
		// A body framed as an upload where none is taken is refused unread.
		assertThat(chunked("viewer", "POST", "/api/v1/conversations/_search", "multipart/form-data; boundary=b",
				"--b\r\nContent-Disposition: form-data; name=\"file\"; " + "filename=\"x\"\r\n\r\n" + big
						+ "\r\n--b--\r\n")
			.statusCode()).isEqualTo(415);
		// The bulk streams any size: its lines have a limit of their own.
		StringBuilder lines = new StringBuilder();
		for (int i = 0; lines.length() < 300 * 1024; i++) {
			lines.append("{\"id\": \"chunked-")
				.append(i)
				.append("\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\", \"summary\": \"")
				.append("y".repeat(1000))
				.append("\"}\n");
		}
		HttpResponse<String> bulk = chunked("ingest", "POST", "/api/v1/conversations/_bulk", "application/x-ndjson",
				lines.toString());
		assertThat(bulk.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(bulk.body()).get("errors").asBoolean()).isFalse();
	}

	@Test
	void aMultipartBodyIsReadOnlyByTheUploadsAndWithinTheirLimits() throws Exception {
		String multipart = "Content-Type: multipart/form-data; boundary=b";
		String part = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.ndjson\"\r\n"
				+ "Content-Type: application/x-ndjson\r\n\r\n";
		// Over the body limit (64 KB) and the upload limit (256 KB); the rest is never
		// sent, so an answer at all is one given before anything read the body whole.
		byte[] start = (part + "x".repeat(300 * 1024)).getBytes(StandardCharsets.UTF_8);
		String viewer = "Authorization: Bearer " + this.keys.get("viewer");
		String ingest = "Authorization: Bearer " + this.keys.get("ingest");
		for (String[] request : List.of(new String[] { "GET", "/api/v1/conversations", viewer },
				new String[] { "GET", "/api/v1/conversations?q=refund", viewer },
				new String[] { "POST", "/api/v1/conversations/_search", viewer },
				new String[] { "POST", "/api/v1/conversations", "Accept: application/json" },
				new String[] { "POST", "/api/v1/conversations/_bulk", ingest },
				new String[] { "PUT", "/api/v1/conversations/x/audio", ingest })) {
			RawHttp.Answer answer = RawHttp.sendUnfinished(this.port, request[0], request[1], start, multipart,
					request[2]);
			assertThat(answer.status()).as("%s %s", request[0], request[1]).isEqualTo(415);
			assertThat(answer.contentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			assertThat(this.json.readTree(answer.body()).get("detail").asString())
				.startsWith("a multipart body is taken only by the uploads");
		}
		// Signing in reads the form's parameters: no credentials are needed to send it.
		RawHttp.Answer signIn = RawHttp.sendUnfinished(this.port, "POST", "/login", start, multipart,
				"Accept: text/html");
		assertThat(signIn.status()).isEqualTo(415);
		assertThat(signIn.contentType()).startsWith(MediaType.TEXT_HTML_VALUE);

		// An upload's file over its limit is refused as it streams...
		RawHttp.Answer upload = RawHttp.sendUnfinished(this.port, "POST", "/api/v1/imports", start, multipart, ingest);
		assertThat(upload.status()).isEqualTo(413);
		assertThat(this.json.readTree(upload.body()).get("detail").asString())
			.isEqualTo("the upload is larger than allowed: at most 262144 bytes (archive.security.max-upload-size)");
		// ...and one declaring more than that before it is read.
		assertThat(RawHttp
			.sendUnfinished(this.port, "POST", "/api/v1/imports", start, multipart, ingest, "Content-Length: 100000000")
			.status()).isEqualTo(413);
		// A page's session without the CSRF header (the pages' scripts send it) is
		// refused before the upload is read too.
		String session = RawHttp.send(this.port, "GET", "/login").headers().get("set-cookie").split(";")[0];
		assertThat(RawHttp.sendUnfinished(this.port, "POST", "/api/v1/imports", start, multipart, "Cookie: " + session)
			.status()).isEqualTo(403);

		// Within the limits, chunked or not, uploads work.
		String line = "{\"id\": \"uploaded-" + UUID.randomUUID().toString().substring(0, 8)
				+ "\", \"platform\": \"sms\", \"startedAt\": \"2025-01-01T00:00:00Z\", \"summary\": \""
				+ "y".repeat(100 * 1024) + "\"}\n";
		assertThat(chunked("ingest", "POST", "/api/v1/imports", "multipart/form-data; boundary=b",
				part + line + "\r\n--b--\r\n")
			.statusCode()).isEqualTo(202);
	}

	private HttpResponse<String> chunked(String role, String method, String path, String type, String body)
			throws IOException, InterruptedException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Bearer " + this.keys.get(role))
			.header("Content-Type", type)
			// An input stream has no length: the JDK's client sends it chunked.
			.method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
			.build();
		try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
	}

	@Test
	@Order(Integer.MAX_VALUE) // It throttles this address's failures for a minute.
	void limitsHoldBackFloodsAndHugeBodies() throws JOSEException {
		post(this.keys.get("ingest"), "/api/v1/conversations", "{\"summary\": \"" + "x".repeat(70 * 1024) + "\"}")
			.expectStatus()
			.isEqualTo(413);
		RestTestClient guesser = client("ca_zzzzzzzzzzzz_wrongwrongwrongwrongwrongwrongwron");
		// Earlier tests failed from this address too (keys and tokens): within ten more,
		// its failures are refused.
		java.util.List<Integer> statuses = new java.util.ArrayList<>();
		for (int i = 0; i < 11 && !statuses.contains(429); i++) {
			statuses.add(guesser.get().uri("/api/v1/conversations").exchange().returnResult().getStatus().value());
		}
		assertThat(statuses).endsWith(429);
		assertThat(statuses.subList(0, statuses.size() - 1)).allMatch((status) -> status == 401);
		// Its failures stay refused, whatever they send, until the minute is over...
		String viewerId = this.keys.get("viewer").split("_")[1];
		for (String failing : new String[] { "ca_zzzzzzzzzzzz_wrongwrongwrongwrongwrongwrongwron",
				"ca_" + viewerId + "_wrongwrongwrongwrongwrongwrongwron", "not-a-key-but-long-enough",
				jwt(STRANGER, this.org, "admin", Instant.now().plusSeconds(300)),
				jwt(ISSUER, this.org, "analyst", Instant.now().minusSeconds(60)) }) {
			client(failing).get()
				.uri("/api/v1/conversations")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
				.expectHeader()
				.exists("Retry-After");
		}
		// ...but valid credentials from the same address (behind a proxy, other clients)
		// still work.
		client(this.keys.get("viewer")).get().uri("/api/v1/conversations").exchange().expectStatus().isOk();
		client(jwt(ISSUER, this.org, "viewer", Instant.now().plusSeconds(300))).get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isOk();
		this.admin.get().uri("/api/v1/conversations").exchange().expectStatus().isOk();
		// A key created meanwhile too.
		String created = body(this.admin.post()
			.uri("/api/v1/orgs/{org}/api-keys", this.org)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "created while throttled", "role", "viewer"))
			.exchange()
			.expectStatus()
			.isCreated()).get("key").asString();
		client(created).get().uri("/api/v1/conversations").exchange().expectStatus().isOk();
	}

	private RestTestClient.ResponseSpec post(String credential, String path, String body) {
		return client(credential).post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).exchange();
	}

	/**
	 * A client with other credentials than the administrator's.
	 */
	private RestTestClient client(String credential) {
		// The JDK's client: it does not retry by itself after a 429.
		RestTestClient.Builder<?> builder = RestTestClient.bindToServer(new JdkClientHttpRequestFactory())
			.baseUrl("http://localhost:" + this.port);
		if (credential != null) {
			builder.defaultHeader("Authorization", "Bearer " + credential);
		}
		return builder.build();
	}

	private JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

	private static String jwt(KeyPair signer, String org, String role, Instant expires) throws JOSEException {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("ada@example.com")
			.claim("role", java.util.List.of("offline_access", role))
			.issueTime(Date.from(Instant.now().minusSeconds(120)))
			.expirationTime(Date.from(expires));
		if (org != null) {
			claims.claim("org", org);
		}
		SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
		token.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
		return token.serialize();
	}

	private static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
