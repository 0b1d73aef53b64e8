package org.conversationarchive.web;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.imageio.ImageIO;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Twelve conversations for the pages' tests: p01 is the one to open (function call, tags,
 * sentiment, summary, audio and a chart), p12 the one to delete. Contact c1 has three
 * conversations; "refund" is said in five, "password" in one.
 */
final class PagesFixture {

	static final int TOTAL = 12;

	private PagesFixture() {
	}

	/**
	 * Stores the conversations, p01's recording and the chart of p01's function call.
	 * @param http the API as an administrator
	 */
	static void load(RestTestClient http) {
		String ndjson = String.join("\n", conversations()) + "\n";
		http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(ndjson)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
		// About 26 seconds of silence: long enough to seek in.
		http.put()
			.uri("/api/v1/conversations/p01/audio")
			.contentType(MediaType.parseMediaType("audio/mpeg"))
			.body(mp3(1000))
			.exchange()
			.expectStatus()
			.isCreated();
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.IMAGE_PNG);
		MultiValueMap<String, Object> chart = new LinkedMultiValueMap<>();
		chart.add("file", new HttpEntity<>(new ByteArrayResource(png()) {
			@Override
			public String getFilename() {
				return "refunds-by-month.png";
			}
		}, headers));
		http.post()
			.uri("/api/v1/conversations/p01/artifacts?messageIndex=2")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(chart)
			.exchange()
			.expectStatus()
			.isCreated();
	}

	static List<String> conversations() {
		return List.of(conversation("p01", "voice", "completed", "2025-01-10T10:00:00Z", "2025-01-10T10:05:00Z",
				"""
						"pointOfContact": "+1 555 0100", "contact": {"id": "c1", "name": "Ada Lovelace", "phone": "+15550001"},
						"flow": {"id": "billing", "name": "Billing"}, "agent": {"id": "ava", "name": "Ava"}, "voice": "alloy",
						"flagged": true, "flags": [{"reason": "refund promised", "source": "review_agent"}],
						"tags": {"Call Reason": "billing", "Language": "en"}, "parameters": {"account": "A-1"},
						"sentiment": [{"emotion": "gratitude", "score": 0.8}, {"emotion": "confusion", "score": 0.3}],
						"reason": "Refund for a double charge", "summary": "Ada was charged twice and got a refund.",
						"analysis": "The agent checked the invoice before refunding.",
						"messages": [
						  {"at": "2025-01-10T10:00:30Z", "senderType": "user", "senderName": "Ada", "text": "I want a refund for my last invoice"},
						  {"at": "2025-01-10T10:01:00Z", "senderType": "agent", "senderName": "Ava", "text": "I can help with that refund"},
						  {"at": "2025-01-10T10:02:00Z", "senderType": "function", "text": "",
						   "function": {"name": "issue_refund", "arguments": {"amount": 42, "currency": "EUR"}, "result": {"status": "refunded"}}},
						  {"at": "2025-01-10T10:02:30Z", "senderType": "system", "text": "Refund recorded"},
						  {"at": "2025-01-10T10:03:00Z", "senderType": "coaching", "text": "Offer the voucher next time"},
						  {"at": "2025-01-10T10:04:00Z", "senderType": "human_agent", "senderName": "Hana", "text": "Anything else?"}]"""),
				conversation("p02", "sms", "abandoned", "2025-01-11T09:00:00Z", "2025-01-11T09:01:00Z",
						"""
								"contact": {"id": "c1"}, "flow": {"id": "billing", "name": "Billing"}, "agent": {"id": "ava", "name": "Ava"},
								"messages": [{"at": "2025-01-11T09:00:10Z", "senderType": "user", "text": "Is a refund possible on annual plans?"}]"""),
				conversation("p03", "web", "failed", "2025-02-01T08:00:00Z", "2025-02-01T08:02:00Z",
						"""
								"contact": {"id": "c2"}, "flow": {"id": "support", "name": "Tech support"}, "agent": {"id": "max", "name": "Max"},
								"messages": [{"at": "2025-02-01T08:00:10Z", "senderType": "user", "text": "my password reset link expired"}]"""),
				conversation("p04", "email", "human_handoff", "2025-02-02T08:00:00Z", "2025-02-02T09:00:00Z",
						"""
								"contact": {"id": "c3"}, "agent": {"id": "max", "name": "Max"}, "liveAgents": [{"id": "h1", "name": "Hana"}],
								"messages": [{"at": "2025-02-02T08:00:10Z", "senderType": "user", "text": "I need to speak to a human"},
								  {"at": "2025-02-02T08:10:00Z", "senderType": "human_agent", "senderName": "Hana", "text": "Hello, this is Hana"}]"""),
				conversation("p05", "whatsapp", "completed", "2025-03-05T12:00:00Z", "2025-03-05T12:03:00Z",
						"""
								"contact": {"id": "c4"}, "agent": {"id": "ava", "name": "Ava"},
								"messages": [{"at": "2025-03-05T12:00:10Z", "senderType": "user", "text": "where is my order"}]"""),
				conversation("p06", "slack", "in_progress", "2025-03-06T12:00:00Z", null,
						"""
								"contact": {"id": "c5"},
								"messages": [{"at": "2025-03-06T12:00:10Z", "senderType": "agent", "text": "Would you like a refund or a replacement?"}]"""),
				conversation("p07", "human_phone", "no_answer", "2024-12-31T23:00:00Z", "2024-12-31T23:00:30Z", """
						"contact": {"id": "c6"}, "agent": {"id": "ava", "name": "Ava"}"""),
				conversation("p08", "voice", "failed", "2025-04-01T10:00:00Z", "2025-04-01T10:01:00Z",
						"""
								"contact": {"id": "c7"},
								"messages": [{"at": "2025-04-01T10:00:20Z", "senderType": "agent", "text": "Please call us back about your refund"}]"""),
				conversation("p09", "voice", "completed", "2025-04-02T10:00:00Z", "2025-04-02T10:20:00Z",
						"""
								"contact": {"id": "c1"}, "messages": [{"at": "2025-04-02T10:00:10Z", "senderType": "user", "text": "the refund arrived"}]"""),
				conversation("p10", "web", "completed", "2025-04-03T10:00:00Z", "2025-04-03T10:01:00Z",
						"""
								"contact": {"id": "c8"}, "messages": [{"at": "2025-04-03T10:00:10Z", "senderType": "user", "text": "thanks"}]"""),
				conversation("p11", "sms", "restarted", "2025-05-01T00:00:00Z", "2025-05-01T00:01:00Z", """
						"messages": [{"at": "2025-05-01T00:00:10Z", "senderType": "user", "text": "start again"}]"""),
				conversation("p12", "email", "unsubscribed", "2025-05-02T00:00:00Z", "2025-05-02T00:01:00Z",
						"""
								"contact": {"id": "c9"}, "messages": [{"at": "2025-05-02T00:00:10Z", "senderType": "user", "text": "please unsubscribe me"}]"""));
	}

	private static String conversation(String id, String platform, String status, String startedAt, String endedAt,
			String more) {
		return ("{\"id\": \"" + id + "\", \"platform\": \"" + platform + "\", \"status\": \"" + status
				+ "\", \"environment\": \"production\", \"direction\": \"inbound\", \"startedAt\": \"" + startedAt
				+ "\"" + ((endedAt != null) ? ", \"endedAt\": \"" + endedAt + "\"" : "") + ", " + more + "}")
			.replace('\n', ' ');
	}

	/**
	 * A silent MP3: MPEG-1 Layer III frames of 128 kbps at 44.1 kHz, 26.1 ms each.
	 * @param frames how many
	 * @return the file
	 */
	static byte[] mp3(int frames) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < frames; i++) {
			byte[] frame = new byte[417];
			frame[0] = (byte) 0xff;
			frame[1] = (byte) 0xfb;
			frame[2] = (byte) 0x90;
			frame[3] = (byte) 0x64;
			out.writeBytes(frame);
		}
		return out.toByteArray();
	}

	/**
	 * A small chart, as an agent might attach one.
	 * @return a PNG
	 */
	static byte[] png() {
		BufferedImage image = new BufferedImage(240, 120, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, 240, 120);
		graphics.setColor(new Color(0x1d4ed8));
		int[] heights = { 40, 70, 55, 95, 80 };
		for (int i = 0; i < heights.length; i++) {
			graphics.fillRect(20 + i * 44, 110 - heights[i], 30, heights[i]);
		}
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
