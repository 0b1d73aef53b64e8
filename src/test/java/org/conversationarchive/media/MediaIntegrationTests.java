package org.conversationarchive.media;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestUsers;
import org.conversationarchive.system.ArchiveSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Audio and artifacts against the real engine and a real disk: upload, detail, ranges,
 * inert serving, order, limits, deletion, and orgs that never see each other's files.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=media-tests",
		"archive.media.max-audio-size=64KB", "archive.media.max-artifact-size=16KB" })
@Import(TestUsers.class)
class MediaIntegrationTests {

	static final MediaType MPEG = MediaType.parseMediaType("audio/mpeg");

	static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ArchiveSettings archive;

	@LocalServerPort
	int port;

	final String run = UUID.randomUUID().toString().substring(0, 8);

	@Test
	void uploadedAudioIsListedWithItsSizeAndDuration() throws Exception {
		String id = conversation("listed");
		byte[] mp3 = Mp3s.mp3(100, true);
		JsonNode audio = putAudio("default", id, mp3, HttpStatus.CREATED);
		assertThat(audio.get("size").asLong()).isEqualTo(mp3.length);
		assertThat(audio.get("durationSeconds").asDouble()).isEqualTo(2.612);

		JsonNode detail = detail("default", id).get("audio");
		assertThat(detail.get("contentType").asString()).isEqualTo("audio/mpeg");
		assertThat(detail.get("size").asLong()).isEqualTo(100 * 417 + 30);
		assertThat(detail.get("durationSeconds").asDouble()).isEqualTo(2.612);
		assertThat(detail.get("sha256").asString()).isEqualTo(sha256(mp3));

		// A new recording replaces the old one.
		byte[] shorter = Mp3s.mp3(10, false);
		putAudio("default", id, shorter, HttpStatus.OK);
		assertThat(detail("default", id).get("audio").get("size").asLong()).isEqualTo(shorter.length);
		assertThat(audioBytes(id)).isEqualTo(shorter);
	}

	@Test
	void audioIsServedWholeAndInRangesForThePlayer() {
		String id = conversation("ranges");
		byte[] mp3 = Mp3s.mp3(100, true);
		putAudio("default", id, mp3, HttpStatus.CREATED);

		byte[] whole = this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MPEG)
			.expectHeader()
			.contentLength(mp3.length)
			.expectHeader()
			.valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + id + ".mp3\"")
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"" + sha256(mp3) + "\"")
			.expectHeader()
			.valueEquals("Repr-Digest",
					"sha-256=:" + java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(mp3)))
							+ ":")
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(whole).isEqualTo(mp3);

		byte[] range = this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(HttpHeaders.RANGE, "bytes=100-199")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 100-199/" + mp3.length)
			.expectHeader()
			.contentLength(100)
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(range).isEqualTo(Arrays.copyOfRange(mp3, 100, 200));

		this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(HttpHeaders.IF_NONE_MATCH, "\"" + sha256(mp3) + "\"")
			.exchange()
			.expectStatus()
			.isNotModified();

		this.http.get()
			.uri("/api/v1/conversations/{id}/audio?download=true", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + ".mp3\"");
	}

	@Test
	void aRangeTheFileDoesNotHaveIsA416WithoutTheFile() throws IOException {
		String id = conversation("unsatisfiable");
		byte[] mp3 = Mp3s.mp3(100, true);
		putAudio("default", id, mp3, HttpStatus.CREATED);
		String artifact = attach(id, "chart.png", "image/png", PNG, 0).get("id").asString();

		for (String path : List.of("/api/v1/conversations/" + id + "/audio", "/api/v1/artifacts/" + artifact)) {
			long size = path.contains("audio") ? mp3.length : PNG.length;
			RawResponse beyond = rawGet(path, "bytes=" + size + "-");
			assertThat(beyond.statusLine()).startsWith("HTTP/1.1 416");
			assertThat(beyond.headers()).containsEntry("content-range", "bytes */" + size)
				.containsEntry("content-length", "0");
			assertThat(beyond.body()).isEmpty();

			RawResponse inside = rawGet(path, "bytes=0-9");
			assertThat(inside.statusLine()).startsWith("HTTP/1.1 206");
			assertThat(inside.body()).hasSize(10);
		}
	}

	@Test
	void whatIsNotAnMp3IsRefusedSayingWhy() throws IOException {
		String id = conversation("not-mp3");
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.contentType(MPEG)
			.body(PNG)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("the body is not an MP3 recording: it starts with neither an ID3v2 tag nor an MPEG audio "
					+ "frame header");
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.contentType(MediaType.parseMediaType("audio/wav"))
			.body(Mp3s.mp3(3, false))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("Content-Type 'audio/wav': a recording is sent as an MP3 with Content-Type audio/mpeg");
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.contentType(MPEG)
			.body(new byte[0])
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("the request body is empty; expected an MP3 recording");

		assertThat(detail("default", id).has("audio")).isFalse();
		assertThat(filesUnder(conversationDirectory("default", id))).isEmpty();
	}

	@Test
	void uploadsOverTheLimitsAreRefused() throws IOException {
		String id = conversation("too-large");
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.contentType(MPEG)
			.body(Mp3s.mp3(200, false))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("the recording is larger than the limit of 64KB (archive.media.max-audio-size)");
		upload(id, "big.csv", "text/csv", new byte[17 * 1024], null).exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("the artifact is larger than the limit of 16KB (archive.media.max-artifact-size)");
		assertThat(detail("default", id).has("artifacts")).isFalse();
		assertThat(filesUnder(conversationDirectory("default", id))).isEmpty();
	}

	@Test
	void artifactsAreServedInert() {
		String id = conversation("inert");
		JsonNode png = attach(id, "chart.png", "image/png", PNG, 0);
		assertThat(png.get("url").asString()).isEqualTo("/api/v1/artifacts/" + png.get("id").asString());
		assertThat(png.get("contentType").asString()).isEqualTo("image/png");
		assertThat(png.get("size").asLong()).isEqualTo(PNG.length);
		assertThat(png.get("sha256").asString()).isEqualTo(sha256(PNG));
		byte[] served = assertServed(png, "image/png", "inline; filename=\"chart.png\"");
		assertThat(served).isEqualTo(PNG);

		byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
			.getBytes(StandardCharsets.UTF_8);
		assertServed(attach(id, "chart.svg", "image/svg+xml", svg, 1), "image/svg+xml",
				"attachment; filename=\"chart.svg\"");

		byte[] csv = "order,total\nA-1,=1+1\n".getBytes(StandardCharsets.UTF_8);
		assertThat(assertServed(attach(id, "orders.csv", "text/csv", csv, 1), "text/plain;charset=UTF-8",
				"inline; filename=\"orders.csv\""))
			.isEqualTo(csv);

		byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
		JsonNode fake = attach(id, "chart.png", "image/png", html, 2);
		assertThat(fake.get("contentType").asString()).isEqualTo("application/octet-stream");
		assertServed(fake, "application/octet-stream", "attachment; filename=\"chart.png\"");

		this.http.get()
			.uri("/api/v1/artifacts/{id}?download=true", png.get("id").asString())
			.exchange()
			.expectHeader()
			.valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"chart.png\".*");
		this.http.get()
			.uri("/api/v1/artifacts/{id}", "no-such-artifact")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("no artifact 'no-such-artifact'");
	}

	@Test
	void artifactsAreListedInTranscriptOrder() {
		String id = conversation("order");
		attach(id, "summary.pdf", "application/pdf", "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), null);
		attach(id, "third.csv", "text/csv", "c\n".getBytes(StandardCharsets.UTF_8), 2);
		attach(id, "first.png", "image/png", PNG, 0);
		attach(id, "second-a.csv", "text/csv", "a\n".getBytes(StandardCharsets.UTF_8), 1);
		attach(id, "second-b.csv", "text/csv", "b\n".getBytes(StandardCharsets.UTF_8), 1);

		JsonNode artifacts = detail("default", id).get("artifacts");
		assertThat(artifacts.valueStream().map((artifact) -> artifact.get("name").asString()).toList())
			.containsExactly("first.png", "second-a.csv", "second-b.csv", "third.csv", "summary.pdf");
		assertThat(artifacts.get(0).get("messageIndex").asInt()).isZero();
		assertThat(artifacts.get(4).has("messageIndex")).isFalse();
		assertThat(artifacts.get(4).get("contentType").asString()).isEqualTo("application/pdf");
		assertThat(artifacts.get(0).get("url").asString())
			.isEqualTo("/api/v1/artifacts/" + artifacts.get(0).get("id").asString());
		assertThat(artifacts.get(0).has("uploadedAt")).isTrue();

		upload(id, "x.csv", "text/csv", new byte[1], -1).exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("parameter messageIndex: must be 0 or more, not -1");
		for (int beyond : new int[] { 3, 4, Integer.MAX_VALUE }) {
			upload(id, "x.csv", "text/csv", new byte[1], beyond).exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.detail")
				.isEqualTo("parameter messageIndex: " + beyond
						+ " is beyond the transcript, which has 3 messages (0 to 2)");
		}
		// Whole numbers as written in decimal, nothing read as one.
		for (String index : List.of("second", "0x1", "#1", " 1", "1 ")) {
			this.http.post()
				.uri(UriComponentsBuilder.fromPath("/api/v1/conversations/{id}/artifacts")
					.queryParam("messageIndex", index)
					.encode()
					.buildAndExpand(id)
					.toUri())
				.contentType(MediaType.MULTIPART_FORM_DATA)
				.body(new LinkedMultiValueMap<>(java.util.Map.of("file", List.of(new ByteArrayResource(PNG) {
					@Override
					public String getFilename() {
						return "x.png";
					}
				}))))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.detail")
				.isEqualTo("parameter messageIndex: '" + index + "' is not a whole number");
		}
		assertThat(detail("default", id).get("artifacts")).hasSize(5);
	}

	@Test
	void badArtifactUploadsAreProblems() {
		String id = conversation("bad-artifacts");
		this.http.post()
			.uri("/api/v1/conversations/{id}/artifacts", id)
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(new LinkedMultiValueMap<>(java.util.Map.of("messageIndex", List.of("1"))))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.post()
			.uri("/api/v1/conversations/{id}/artifacts", id)
			.contentType(MediaType.IMAGE_PNG)
			.body(PNG)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
		upload("no-such-conversation", "x.png", "image/png", PNG, null).exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("no conversation 'no-such-conversation'");
		upload(id, "x.png", "image/png", PNG, null).header(TestUsers.ROLE, "viewer")
			.exchange()
			.expectStatus()
			.isForbidden();
		// Cut short: no closing boundary, or not even the end of the part's headers.
		String whole = "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--cut--\r\n";
		for (int length : new int[] { whole.length() - 9, 40, whole.indexOf("a,b") - 2 }) {
			this.http.post()
				.uri("/api/v1/conversations/{id}/artifacts", id)
				.contentType(MediaType.parseMediaType("multipart/form-data; boundary=cut"))
				.body(whole.substring(0, length).getBytes(StandardCharsets.US_ASCII))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.detail")
				.value(String.class, (detail) -> assertThat(detail).startsWith("the multipart body is incomplete"));
		}
		assertThat(detail("default", id).has("artifacts")).isFalse();
	}

	@Test
	void resendingTheConversationKeepsItsAudioAndArtifacts() {
		String id = conversation("resent");
		byte[] mp3 = Mp3s.mp3(20, true);
		putAudio("default", id, mp3, HttpStatus.CREATED);
		JsonNode png = attach(id, "chart.png", "image/png", PNG, 0);

		JsonNode resent = postConversation("default", id, "\"status\": \"failed\"", HttpStatus.OK);
		assertThat(resent.get("status").asString()).isEqualTo("failed");
		assertThat(resent.get("audio").get("sha256").asString()).isEqualTo(sha256(mp3));
		assertThat(resent.get("artifacts").get(0).get("id").asString()).isEqualTo(png.get("id").asString());

		JsonNode detail = detail("default", id);
		assertThat(detail.get("audio").get("size").asLong()).isEqualTo(mp3.length);
		assertThat(detail.get("artifacts")).hasSize(1);
		assertThat(audioBytes(id)).isEqualTo(mp3);
	}

	@Test
	void deletingAConversationDeletesItsFiles() {
		String id = conversation("deleted");
		putAudio("default", id, Mp3s.mp3(20, false), HttpStatus.CREATED);
		String artifactId = attach(id, "chart.png", "image/png", PNG, 0).get("id").asString();
		Path directory = conversationDirectory("default", id);
		assertThat(directory.resolve("audio.mp3")).isRegularFile();
		assertThat(directory.resolve("artifacts").resolve(artifactId)).isRegularFile();

		this.http.delete().uri("/api/v1/conversations/{id}", id).exchange().expectStatus().isNoContent();
		assertThat(directory).doesNotExist();
		this.http.get().uri("/api/v1/artifacts/{id}", artifactId).exchange().expectStatus().isNotFound();
		this.http.get().uri("/api/v1/conversations/{id}/audio", id).exchange().expectStatus().isNotFound();
	}

	@Test
	void orgsNeverSeeEachOthersFiles() {
		String id = conversation("shared-id");
		byte[] mp3 = Mp3s.mp3(20, false);
		putAudio("default", id, mp3, HttpStatus.CREATED);
		String artifactId = attach(id, "chart.png", "image/png", PNG, 0).get("id").asString();
		String other = "other-" + this.run;

		// Another org finds nothing of it, and cannot write to it.
		this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(TestUsers.ORG, other)
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.get()
			.uri("/api/v1/artifacts/{id}", artifactId)
			.header(TestUsers.ORG, other)
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(TestUsers.ORG, other)
			.contentType(MPEG)
			.body(Mp3s.mp3(3, false))
			.exchange()
			.expectStatus()
			.isNotFound();
		upload(id, "x.png", "image/png", PNG, null).header(TestUsers.ORG, other).exchange().expectStatus().isNotFound();

		// The same conversation id in the other org is another conversation, with its own
		// files.
		postConversation(other, id, null, HttpStatus.CREATED);
		byte[] theirs = Mp3s.mp3(5, true);
		putAudio(other, id, theirs, HttpStatus.CREATED);
		assertThat(detail(other, id).get("audio").get("size").asLong()).isEqualTo(theirs.length);
		assertThat(detail(other, id).has("artifacts")).isFalse();
		assertThat(audioBytes(id)).isEqualTo(mp3);
		this.http.delete()
			.uri("/api/v1/conversations/{id}", id)
			.header(TestUsers.ORG, other)
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(conversationDirectory(other, id)).doesNotExist();
		assertThat(audioBytes(id)).isEqualTo(mp3);
		this.http.get().uri("/api/v1/artifacts/{id}", artifactId).exchange().expectStatus().isOk();
	}

	@Test
	void rolesDecideWhoUploadsPlaysAndDownloads() {
		String id = conversation("roles");
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(TestUsers.ROLE, "manager")
			.contentType(MPEG)
			.body(Mp3s.mp3(3, false))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("the manager role may not attach audio; it needs the ingest role");
		this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(TestUsers.ROLE, "ingest")
			.contentType(MPEG)
			.body(Mp3s.mp3(3, false))
			.exchange()
			.expectStatus()
			.isCreated();
		this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(TestUsers.ROLE, "viewer")
			.exchange()
			.expectStatus()
			.isOk();
		this.http.get()
			.uri("/api/v1/conversations/{id}/audio?download=true", id)
			.header(TestUsers.ROLE, "viewer")
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.get()
			.uri("/api/v1/conversations/{id}/audio?download=true", id)
			.header(TestUsers.ROLE, "analyst")
			.exchange()
			.expectStatus()
			.isOk();
	}

	private byte[] assertServed(JsonNode artifact, String contentType, String disposition) {
		return this.http.get()
			.uri("/api/v1/artifacts/{id}", artifact.get("id").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(contentType)
			.expectHeader()
			.valueMatches(HttpHeaders.CONTENT_DISPOSITION, Pattern.quote(disposition) + "(; filename\\*=.*)?")
			.expectHeader()
			.valueEquals("Content-Security-Policy", "default-src 'none'; sandbox")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"" + artifact.get("sha256").asString() + "\"")
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	/**
	 * A GET with a Range over a plain socket, read to the end: what the server sent, byte
	 * for byte, with no client in between to drop a body.
	 */
	private RawResponse rawGet(String path, String range) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
					+ ArchiveIntegrationTest.ADMIN_KEY + "\r\nRange: " + range + "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			byte[] response = socket.getInputStream().readAllBytes();
			// One char per byte, so that positions in the text are positions in the
			// bytes.
			String text = new String(response, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			List<String> head = List.of(text.substring(0, end).split("\r\n"));
			Map<String, String> headers = new java.util.HashMap<>();
			for (String line : head.subList(1, head.size())) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
						line.substring(colon + 1).trim());
			}
			return new RawResponse(head.get(0), headers, Arrays.copyOfRange(response, end + 4, response.length));
		}
	}

	record RawResponse(String statusLine, Map<String, String> headers, byte[] body) {
	}

	private JsonNode attach(String id, String name, String type, byte[] content, Integer messageIndex) {
		byte[] response = upload(id, name, type, content, messageIndex).exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private RestTestClient.RequestHeadersSpec<?> upload(String id, String name, String type, byte[] content,
			Integer messageIndex) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.parseMediaType(type));
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new HttpEntity<>(new ByteArrayResource(content) {
			@Override
			public String getFilename() {
				return name;
			}
		}, headers));
		String uri = "/api/v1/conversations/" + id + "/artifacts"
				+ ((messageIndex != null) ? "?messageIndex=" + messageIndex : "");
		return this.http.post().uri(uri).contentType(MediaType.MULTIPART_FORM_DATA).body(parts);
	}

	private JsonNode putAudio(String org, String id, byte[] mp3, HttpStatus status) {
		byte[] response = this.http.put()
			.uri("/api/v1/conversations/{id}/audio", id)
			.header(TestUsers.ORG, org)
			.contentType(MPEG)
			.body(mp3)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private byte[] audioBytes(String id) {
		return this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	private String conversation(String name) {
		String id = name + "-" + this.run;
		postConversation("default", id, null, HttpStatus.CREATED);
		return id;
	}

	private JsonNode postConversation(String org, String id, String more, HttpStatus status) {
		String body = "{\"id\": \"" + id + "\", \"platform\": \"voice\", \"startedAt\": \"2025-04-01T10:00:00Z\","
				+ "\"messages\": [{\"at\": \"2025-04-01T10:00:01Z\", \"senderType\": \"user\", \"text\": \"Hi\"},"
				+ "{\"at\": \"2025-04-01T10:00:02Z\", \"senderType\": \"agent\", \"text\": \"Hello\"},"
				+ "{\"at\": \"2025-04-01T10:00:03Z\", \"senderType\": \"agent\", \"text\": \"Here is a chart\"}]"
				+ ((more != null) ? ", " + more : "") + "}";
		byte[] response = this.http.post()
			.uri("/api/v1/conversations")
			.header(TestUsers.ORG, org)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private JsonNode detail(String org, String id) {
		byte[] response = this.http.get()
			.uri("/api/v1/conversations/{id}", id)
			.header(TestUsers.ORG, org)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private Path conversationDirectory(String org, String id) {
		return this.archive.dataDir().resolve(MediaPaths.conversation(org, id));
	}

	/**
	 * The files under a directory: a failed upload may leave the directory, never a file.
	 */
	private static List<Path> filesUnder(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).toList();
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
