package org.conversationarchive.storage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestS3;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With presigned downloads on, an export's signed link answers with a redirect to a
 * presigned URL of the bucket, which downloads the file under its name with no other
 * credential; the signed link is checked first as ever.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=object-storage",
		"archive.storage.s3.presigned-downloads=true", "archive.storage.s3.presigned-url-validity=2m" })
class PresignedDownloadsIntegrationTests {

	static final String BUCKET = "presigned-downloads-tests";

	@DynamicPropertySource
	static void inTheBucket(DynamicPropertyRegistry registry) {
		TestS3.bucket(BUCKET);
		for (String property : TestS3.properties(BUCKET)) {
			String[] pair = property.split("=", 2);
			registry.add(pair[0], () -> pair[1]);
		}
	}

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Test
	void aDownloadLinkRedirectsToAPresignedUrlOfTheBucket() throws Exception {
		String id = "presigned-" + UUID.randomUUID().toString().substring(0, 8);
		this.http.post()
			.uri("/api/v1/conversations?refresh=true")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"" + id + "\", \"platform\": \"web\", \"status\": \"completed\", "
					+ "\"startedAt\": \"2025-04-01T10:00:00Z\"}")
			.exchange()
			.expectStatus()
			.isCreated();
		String exportId = body(this.http.post()
			.uri("/api/v1/exports")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"filter\": {\"ids\": [\"" + id + "\"]}, \"columns\": [\"id\", \"platform\"]}")
			.exchange()
			.expectStatus()
			.isAccepted()).get("id").asString();
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			job[0] = body(this.http.get().uri("/api/v1/exports/{id}", exportId).exchange().expectStatus().isOk());
			assertThat(job[0].get("status").asString()).isNotEqualTo("failed");
			return job[0].get("status").asString().equals("completed");
		});
		String fileName = job[0].get("fileName").asString();

		HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		HttpResponse<Void> redirect = client.send(
				HttpRequest.newBuilder(URI.create(job[0].get("downloadUrl").asString())).build(),
				HttpResponse.BodyHandlers.discarding());
		assertThat(redirect.statusCode()).isEqualTo(302);
		URI presigned = URI.create(redirect.headers().firstValue("Location").orElseThrow());
		assertThat(presigned.toString())
			.startsWith(TestS3.endpoint() + "/" + BUCKET + "/exports/default/" + exportId + "/" + fileName + "?");
		assertThat(presigned.getRawQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=120");

		HttpResponse<String> file = client.send(HttpRequest.newBuilder(presigned).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.body()).isEqualTo("\uFEFFID,Platform\r\n" + id + ",web\r\n");
		assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment")
			.contains(fileName);

		// An altered signed link is refused before anything is presigned.
		String altered = job[0].get("downloadUrl").asString() + "x";
		assertThat(
				client.send(HttpRequest.newBuilder(URI.create(altered)).build(), HttpResponse.BodyHandlers.discarding())
					.statusCode())
			.isEqualTo(404);
	}

	private JsonNode body(RestTestClient.ResponseSpec response) {
		return this.json.readTree(response.expectBody().returnResult().getResponseBody());
	}

}
