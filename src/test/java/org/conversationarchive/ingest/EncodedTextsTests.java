package org.conversationarchive.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationDocuments;
import org.conversationarchive.conversation.DocumentJson;
import org.conversationarchive.conversation.EncodedStrings;
import org.conversationarchive.conversation.TestDocuments;
import org.conversationarchive.ingest.generator.ConversationGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages' texts are written to their documents as the bytes they were sent as, which
 * are the same JSON values.
 */
class EncodedTextsTests {

	private static final JsonMapper JSON = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	private final FastConversationReader reader = new FastConversationReader(JSON);

	private final ConversationDocuments documents = TestDocuments.documents(JSON);

	private final DocumentJson documentJson = new DocumentJson(JSON);

	@Test
	void writesTextsAsTheyWereSent() {
		String line = "{\"id\":\"a\",\"platform\":\"web\",\"startedAt\":\"2025-01-01T00:00:00Z\",\"messages\":["
				+ "{\"at\":\"2025-01-01T00:00:01Z\",\"senderType\":\"user\",\"text\":\"caf\\u00e9 \\ud83d\\ude00 "
				+ "\\\"quoted\\\"\\nnext \\/ line\"},{\"at\":\"2025-01-01T00:00:02Z\",\"senderType\":\"agent\",\"text\":\"\"},"
				+ "{\"at\":\"2025-01-01T00:00:03Z\",\"senderType\":\"agent\"},{\"at\":\"2025-01-01T00:00:04Z\","
				+ "\"senderType\":\"user\",\"text\":\"Grüße, 東京 \\\\ back\",\"data\":{\"text\":\"caf\\u00e9\"}}]}";
		EncodedStrings encoded = new EncodedStrings();
		Conversation conversation = this.reader.read(line.getBytes(StandardCharsets.UTF_8), encoded);
		assertThat(conversation).isNotNull();

		String written = write(conversation, encoded);
		String plain = write(conversation, null);
		assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree(plain));
		assertThat(written).contains("\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\"\\nnext \\/ line\"")
			.contains("\"text\":\"\"")
			.contains("\"text\":\"Grüße, 東京 \\\\ back\"");
		// Only messages' texts: a string in their data is encoded anew.
		assertThat(written).contains("\"data\":{\"text\":\"café\"}");
		assertThat(plain).contains("\"text\":\"café 😀 \\\"quoted\\\"\\nnext / line\"");
	}

	@Test
	void writesAnotherStringOfTheSameTextAsUsual() {
		byte[] line = ("{\"id\":\"a\",\"platform\":\"web\",\"startedAt\":\"2025-01-01T00:00:00Z\",\"messages\":["
				+ "{\"at\":\"2025-01-01T00:00:01Z\",\"senderType\":\"user\",\"text\":\"caf\\u00e9\"}]}")
			.getBytes(StandardCharsets.UTF_8);
		EncodedStrings encoded = new EncodedStrings();
		assertThat(this.reader.read(line, encoded)).isNotNull();
		// The same text, read again: an equal string, not the one noted.
		Conversation again = this.reader.read(line);
		assertThat(again).isNotNull();
		assertThat(write(again, encoded)).contains("\"text\":\"café\"").doesNotContain("\\u00e9");
	}

	@Test
	void writesEveryGeneratedConversationsTextsAsTheSameValues() {
		new ConversationGenerator(23, ConversationGenerator.Options.of(1000)).stream().forEach((generated) -> {
			byte[] line = JSON.writeValueAsBytes(generated);
			EncodedStrings encoded = new EncodedStrings();
			Conversation conversation = this.reader.read(line, encoded);
			assertThat(conversation).as(generated.id()).isNotNull();
			assertThat(JSON.readTree(write(conversation, encoded))).as(generated.id())
				.isEqualTo(JSON.readTree(write(conversation, null)));
		});
	}

	private String write(Conversation conversation, @Nullable EncodedStrings encoded) {
		ConversationDocument document = this.documents.of("org-1", conversation, 1, null, null, NOW);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.documentJson.write(document, out, encoded);
		return out.toString(StandardCharsets.UTF_8);
	}

}
