package org.conversationarchive.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.Mp3Decoding;
import org.conversationarchive.Mp3Decoding.Frame;
import org.conversationarchive.Mp3Decoding.Pcm;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.generator.FlowGraph;
import org.conversationarchive.generator.ConversationGenerator.Options;
import org.conversationarchive.media.ConversationMedia;
import org.conversationarchive.security.CurrentOrg;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * An empty archive with demo data on fills itself with generated conversations once, in
 * the background: nothing of them after the time they were loaded, a few calls with a
 * recording that plays, a few conversations with a CSV, a chart and an invoice. The
 * demo's live conversations, which start after the load, are left out by starting before
 * the hour it was loaded in (the context is shared with
 * {@code DemoPlatformIntegrationTests}).
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=demo-test", "archive.demo.enabled=true",
		"archive.demo.conversations=120", "archive.demo.days=1", "archive.gateway.allow-private-addresses=false" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoLoaderIntegrationTests {

	static final int CONVERSATIONS = 120;

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	DemoLoader loader;

	@Autowired
	ConversationMedia media;

	@Autowired
	DemoSettings settings;

	@Test
	void anEmptyArchiveGetsTheDemoConversationsOnce() throws Exception {
		awaitConversations();
		assertThat(this.loader.load()).isZero();
		this.http.get()
			.uri("/api/v1/conversations?size=1&q=refund OR order OR password")
			.exchange()
			.expectBody()
			.jsonPath("$.items[0].highlights[0].fragments[0]")
			.value(String.class, (fragment) -> assertThat(fragment).contains("<mark>"));
	}

	@Test
	void theDemoPublishesItsFlowsAndItsMessagesNameTheirNodes() throws Exception {
		List<String> ids = awaitConversations();
		JsonNode flows = flows();
		assertThat(this.loader.load()).isZero();
		// Publishing them again changes nothing: no version, no publication time.
		assertThat(flows()).isEqualTo(flows);
		List<String> listed = new ArrayList<>();
		flows.get("items")
			.forEach((flow) -> listed
				.add(flow.get("id").asString() + " " + flow.get("versions") + " " + flow.get("nodeCount").asInt()));
		List<String> expected = new ArrayList<>();
		Map<String, List<FlowGraph>> byFlow = new LinkedHashMap<>();
		ConversationGenerator.flowGraphs()
			.forEach((graph) -> byFlow.computeIfAbsent(graph.id(), (id) -> new ArrayList<>()).add(graph));
		byFlow.forEach((id, versions) -> expected.add(id + " "
				+ versions.stream().map((graph) -> String.valueOf(graph.version())).toList().toString().replace(" ", "")
				+ " " + versions.getLast().nodes().size()));
		assertThat(listed).containsExactlyInAnyOrderElementsOf(expected).contains("flow-billing [1,2] 12");

		JsonNode conversation = detail(ids.get(0));
		assertThat(conversation.get("flowVersion").asInt()).isPositive();
		assertThat(conversation.get("messages"))
			.allSatisfy((message) -> assertThat(message.path("flowNode").asString("")).isNotBlank());
		assertThat(conversation.get("exitNode").asString()).isEqualTo(
				conversation.get("messages").get(conversation.get("messages").size() - 1).get("flowNode").asString());
	}

	private JsonNode flows() throws Exception {
		return this.json.readTree(this.http.get()
			.uri("/api/v1/flows")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	@Test
	void nothingOfTheDemoLiesAfterTheTimeItWasLoaded() {
		// Over one day, most email threads (which take days) would run into the future.
		Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
		assertThat(new ConversationGenerator(DemoLoader.SEED,
				Options.of(CONVERSATIONS).withRange(hour.minus(Duration.ofDays(this.settings.days())), hour))
			.stream()
			.filter((c) -> lastMoment(c).isAfter(hour))
			.map(Conversation::platform)).contains(Platform.EMAIL);

		List<String> ids = awaitConversations();
		Instant now = Instant.now();
		for (String id : ids) {
			JsonNode conversation = detail(id);
			List<Instant> moments = new ArrayList<>();
			moments.add(Instant.parse(conversation.get("startedAt").asString()));
			if (conversation.hasNonNull("endedAt")) {
				moments.add(Instant.parse(conversation.get("endedAt").asString()));
			}
			conversation.get("messages").forEach((message) -> moments.add(Instant.parse(message.get("at").asString())));
			assertThat(moments).as(id).allSatisfy((moment) -> assertThat(moment).isBeforeOrEqualTo(now));
		}
		JsonNode rows = this.json.readTree(this.http.get()
			.uri("/api/v1/conversations?size=200&to={loaded}", loadedBy())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(rows.get("items")).hasSize(CONVERSATIONS)
			.allSatisfy((row) -> assertThat(Instant.parse(row.get("lastMessageAt").asString())).isBeforeOrEqualTo(now));
	}

	@Test
	void someCallsHaveARecordingThatPlays() {
		awaitConversations();
		DemoMedia picks = picks();
		assertThat(picks.recorded()).hasSize(DemoMedia.RECORDINGS);
		for (String id : picks.recorded()) {
			byte[] mp3 = awaitAudio(id);
			JsonNode conversation = detail(id);
			assertThat(conversation.get("platform").asString()).isEqualTo("voice");
			double callSeconds = Duration
				.between(Instant.parse(conversation.get("startedAt").asString()),
						Instant.parse(conversation.get("endedAt").asString()))
				.toMillis() / 1000.0;
			JsonNode audio = conversation.get("audio");
			assertThat(audio.get("contentType").asString()).isEqualTo("audio/mpeg");
			assertThat(audio.get("size").asLong()).isEqualTo(mp3.length);
			// Frame after frame to the end, as long as the call.
			List<Frame> frames = Mp3Decoding.frames(mp3);
			assertThat(frames.size()).isGreaterThan(100);
			assertThat(Mp3Decoding.seconds(frames)).as(id).isBetween(callSeconds, callSeconds + 0.5);
			assertThat(audio.get("durationSeconds").asDouble()).isCloseTo(Mp3Decoding.seconds(frames), offset(0.001));
			// Decoded: as long, and someone speaks.
			Pcm pcm = Mp3Decoding.decode(mp3);
			assertThat(pcm.seconds()).isBetween(callSeconds, callSeconds + 0.5);
			assertThat(pcm.rms(0, pcm.seconds())).isGreaterThan(300);
		}
		this.http.get()
			.uri("/api/v1/conversations/{id}/audio?download=true", picks.recorded().get(0))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueMatches(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"conv-[0-9a-f]+\\.mp3\"");
	}

	@Test
	void someConversationsHaveACsvAChartAndAnInvoice() throws IOException {
		awaitConversations();
		DemoMedia picks = picks();
		assertThat(picks.withArtifacts()).hasSize(2 * DemoMedia.WITH_ARTIFACTS_PER_FLOW);
		Map<String, List<JsonNode>> byType = awaitArtifacts(picks).stream()
			.collect(Collectors.groupingBy((artifact) -> artifact.get("contentType").asString()));
		assertThat(byType).containsOnlyKeys("text/csv", "image/png", "application/pdf");

		for (JsonNode csv : byType.get("text/csv")) {
			String text = new String(served(csv, "text/plain;charset=UTF-8"), StandardCharsets.UTF_8);
			assertThat(text).startsWith("order,date,sku,product,quantity,price_usd,status\r\nBW-");
			assertThat(text.lines()).hasSizeGreaterThan(4);
			assertThat(csv.get("name").asString()).isEqualTo("recent-orders.csv");
		}
		for (JsonNode png : byType.get("image/png")) {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(served(png, "image/png")));
			assertThat(image.getWidth()).isEqualTo(640);
			assertThat(image.getHeight()).isEqualTo(360);
			assertThat(png.get("name").asString()).matches("charges-ACC-\\d{7}\\.png");
		}
		for (JsonNode pdf : byType.get("application/pdf")) {
			String name = pdf.get("name").asString();
			assertThat(name).matches("invoice-INV-\\d{6}-\\d{5}\\.pdf");
			try (PDDocument document = Loader.loadPDF(served(pdf, "application/pdf"))) {
				assertThat(new PDFTextStripper().getText(document)).contains("Brightwave", "Invoice",
						name.substring(8, 24), "Account ACC-", "Total for");
			}
		}
	}

	/**
	 * What a second instance loading the demo at the same time does: the same files
	 * again, under the same ids (last, as it replaces what the others look at).
	 */
	@Test
	@Order(Integer.MAX_VALUE)
	void attachingTheDemoMediaAgainListsNothingTwice() {
		awaitConversations();
		DemoMedia picks = picks();
		List<JsonNode> before = awaitArtifacts(picks);
		awaitAudio(picks.recorded().get(0));

		assertThat(picks.attach(this.media, CurrentOrg.DEFAULT)).isEqualTo(DemoMedia.RECORDINGS + before.size());

		List<JsonNode> after = artifacts(picks);
		assertThat(after.stream().map((artifact) -> artifact.get("id").asString())).containsExactlyInAnyOrderElementsOf(
				before.stream().map((artifact) -> artifact.get("id").asString()).toList());
		for (String id : picks.recorded()) {
			assertThat(detail(id).get("audio").get("contentType").asString()).isEqualTo("audio/mpeg");
		}
	}

	/**
	 * The demo's recordings and artifacts as an instance loading it now makes them: on
	 * the conversations the loader gave them (which ones does not depend on when).
	 */
	private DemoMedia picks() {
		DemoMedia picks = new DemoMedia();
		DemoLoader.generator(this.settings, Instant.now().truncatedTo(ChronoUnit.HOURS))
			.forEachRemaining(picks::consider);
		return picks;
	}

	private List<String> awaitConversations() {
		List<String> ids = new ArrayList<>();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			JsonNode rows = this.json.readTree(this.http.get()
				.uri("/api/v1/conversations?size=200&to={loaded}", loadedBy())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody());
			assertThat(rows.get("total").asInt()).isEqualTo(CONVERSATIONS);
			ids.clear();
			rows.get("items").forEach((row) -> ids.add(row.get("id").asString()));
		});
		return ids;
	}

	/**
	 * Before the demo's live conversations: the loaded ones start before the hour they
	 * were loaded in, which is this one ({@link #picks} takes so too).
	 */
	private static Instant loadedBy() {
		return Instant.now().truncatedTo(ChronoUnit.HOURS);
	}

	private byte[] awaitAudio(String id) {
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(detail(id).hasNonNull("audio")).as(id).isTrue());
		return this.http.get()
			.uri("/api/v1/conversations/{id}/audio", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("audio/mpeg")
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	private List<JsonNode> awaitArtifacts(DemoMedia picks) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			List<JsonNode> artifacts = artifacts(picks);
			// A CSV for each return, a chart and an invoice for each billing
			// question.
			assertThat(artifacts).hasSize(DemoMedia.WITH_ARTIFACTS_PER_FLOW * (1 + 2));
			// Listed at once, found by their id once the index is refreshed.
			for (JsonNode artifact : artifacts) {
				this.http.get().uri(artifact.get("url").asString()).exchange().expectStatus().isOk();
			}
		});
		return artifacts(picks);
	}

	private List<JsonNode> artifacts(DemoMedia picks) {
		List<JsonNode> artifacts = new ArrayList<>();
		for (String id : picks.withArtifacts()) {
			JsonNode conversation = detail(id);
			if (conversation.has("artifacts")) {
				conversation.get("artifacts").forEach((artifact) -> {
					assertThat(artifact.get("messageIndex").asInt()).isBetween(0,
							conversation.get("messages").size() - 1);
					artifacts.add(artifact);
				});
			}
		}
		return artifacts;
	}

	private byte[] served(JsonNode artifact, String contentType) {
		return this.http.get()
			.uri(artifact.get("url").asString())
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(contentType)
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	private JsonNode detail(String id) {
		return this.json.readTree(this.http.get()
			.uri("/api/v1/conversations/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	private static Instant lastMoment(Conversation conversation) {
		Instant last = (conversation.endedAt() != null) ? conversation.endedAt() : conversation.startedAt();
		for (Conversation.Message message : conversation.messages()) {
			if (message.at().isAfter(last)) {
				last = message.at();
			}
		}
		return last;
	}

}
