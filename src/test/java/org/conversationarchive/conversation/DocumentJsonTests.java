package org.conversationarchive.conversation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.conversation.Conversation.Artifact;
import org.conversationarchive.conversation.index.DocumentJson;
import org.conversationarchive.conversation.Conversation.Audio;
import org.conversationarchive.conversation.Conversation.Contact;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.Conversation.FlagEvent;
import org.conversationarchive.conversation.Conversation.FunctionCall;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.conversation.ConversationDocument.IndexedMessage;
import org.conversationarchive.conversation.Conversation.Ref;
import org.conversationarchive.conversation.Conversation.Sentiment;
import org.conversationarchive.conversation.Conversation.Signals;
import org.conversationarchive.generator.ConversationGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An index document written field by field is the very JSON the mapper writes.
 */
class DocumentJsonTests {

	private static final JsonMapper JSON = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private final DocumentJson documentJson = new DocumentJson(JSON);

	private final ConversationDocuments documents = new ConversationDocuments(new ConversationMapperImpl(),
			new ExportRows(JSON));

	@Test
	void writesEveryGeneratedConversationsDocumentAsTheMapperDoes() {
		Instant now = Instant.parse("2026-11-22T10:15:30.123456Z");
		new ConversationGenerator(17, ConversationGenerator.Options.of(2000)).stream().forEach((conversation) -> {
			ConversationDocument document = this.documents.of("org-1", conversation, 4, null, null, null, null, now,
					"written-by-1");
			assertSameJson(document);
		});
	}

	@Test
	void writesNullsEmptiesAndEveryPartAsTheMapperDoes() {
		Map<String, Object> tags = new LinkedHashMap<>();
		tags.put("Reason", "billing");
		tags.put("Several", List.of("a", "b"));
		tags.put("Nothing", null);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("n", 12345678901L);
		data.put("f", 0.1);
		data.put("nested", Map.of("list", Arrays.asList(1, null, "x")));
		data.put("text", "quote \" backslash \\ control \u0001 unit \u001f emoji \ud83d\ude00 é");
		List<Message> messages = new ArrayList<>(List.of(
				new Message(Instant.parse("2025-01-01T00:00:00Z"), SenderType.USER, "Ann", "web", "hello \"there\"",
						data, null, "greet"),
				new Message(Instant.parse("2025-01-01T00:00:01.5Z"), SenderType.FUNCTION, null, null, null, null,
						new FunctionCall("lookup", List.of(1, 2.5, "three"), null), null),
				new Message(null, null, null, null, "", "plain", new FunctionCall(null, null, Map.of()), "")));
		messages.add(null);
		List<IndexedMessage> indexed = new ArrayList<>(
				messages.stream().map((message) -> (message != null) ? indexed(message, "es") : null).toList());
		indexed.set(1, new IndexedMessage(Instant.parse("2025-01-01T00:00:01.5Z"), SenderType.FUNCTION, null, null,
				null, null, null, "lookup-node", 1.5, 598.5, null));
		ConversationDocument full = new ConversationDocument("org", "id", Platform.HUMAN_PHONE, "+1555",
				new Contact("c", "Name", null, "a@b.c"), Direction.INBOUND, Environment.TEST, Status.HUMAN_HANDOFF,
				new Ref("f", null), new Ref(null, "Agent"), Arrays.asList(new Ref("l", "Live"), null), "voice-1",
				Instant.parse("2025-01-01T00:00:00.000001Z"), Instant.parse("2025-01-01T00:10:00.000000001Z"), true,
				Arrays.asList(Flag.of("why", FlagSource.REVIEW_AGENT),
						new Flag("seen", FlagSource.RULE, "high", "r-1", "Rule", null, Instant.EPOCH),
						Flag.of(null, null), null),
				tags, Map.of("k", "v"), Arrays.asList(new Sentiment("joy", 0.75), new Sentiment(null, 1.0), null),
				"a/b <tag> & 'quote' \u007f", "line\nbreak\ttab \"q\" back\\slash", "naïve café ✓ \ud83d\ude00",
				indexed, 600L, Instant.parse("2025-01-01T00:09:59Z"), List.of("lookup"), true, 11,
				new Audio("audio/mpeg", 1234L, 3.5, "abc"),
				Arrays.asList(new Artifact("a", "file.pdf", "application/pdf", 10L, 2, "sha", Instant.EPOCH, null),
						null),
				Arrays.asList(new FlagEvent(FlagAction.UNFLAG, "done", FlagSource.USER, null, null, null, "ann",
						Instant.EPOCH), null),
				List.of(), Arrays.asList("Reason\u001fbilling", null, "plain"), Instant.parse("+12025-01-01T00:00:00Z"),
				"cm93", 3, List.of("k"), Arrays.asList(new Sentiment("joy", 0.75), new Sentiment("calm", null), null),
				new Signals(4, 59L, List.of("lookup"), 1, 2), "Billing", "es", "written-by-1", 3, "done",
				List.of("greet", "ask"), Arrays.asList("greet>ask", null));
		assertSameJson(full);
		ConversationDocument bare = new ConversationDocument("org", "id", Platform.WEB, null, null, null, null, null,
				null, null, null, null, Instant.parse("2025-01-01T00:00:00Z"), null, null, null, null, null, null, null,
				null, null, List.of(), null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null, null, null, null, null);
		assertSameJson(bare);
	}

	@Test
	void writesLongTextsAsTheMapperDoesWhateverTheyHold() {
		String plain = "The quick brown fox jumps over the lazy dog, again and again. ";
		List<String> texts = List.of(plain, plain + "\"quoted\"", plain + "back\\slash", plain + "line\nbreak",
				plain + "tab\tand \u0000 nul \u001f unit", plain + "a/b/c http://example.com/x?y=1",
				plain + "question? marks?", plain + "lone \ud800 surrogate", plain + "\udfff", plain + "delete \u007f",
				plain + "naïve café", plain + "emoji \ud83d\ude00", plain + "line sep \u2028 para \u2029",
				"exactly sixteen!", "fifteen chars..", "x".repeat(100_000));
		for (String text : texts) {
			List<IndexedMessage> messages = List.of(indexed(new Message(Instant.parse("2025-01-01T00:00:00Z"),
					SenderType.USER, text, null, text, null, null, text), "en"));
			ConversationDocument document = new ConversationDocument("org", "id", Platform.WEB, text, null, null, null,
					null, null, null, null, text, Instant.parse("2025-01-01T00:00:00Z"), null, null, null, null, null,
					null, text, text, text, messages, null, null, List.of(text), null, null, null, null, null, null,
					List.of(text), null, text, 1, List.of(text), null, null, text, text, text, 7, text, List.of(text),
					List.of(text));
			assertSameJson(document);
		}
	}

	@Test
	void writesExportRowsAsTheMapperWritesTheirCells() {
		ExportRows rows = new ExportRows(JSON);
		Map<String, Object> tags = new LinkedHashMap<>();
		tags.put("Reason", "billing \"quoted\" é");
		tags.put("Several", Arrays.asList("a", null, 3, 2.5, List.of(), Map.of()));
		tags.put("Nothing", null);
		List<Conversation> conversations = new ArrayList<>(
				new ConversationGenerator(23, ConversationGenerator.Options.of(500)).stream().toList());
		conversations.add(new Conversation("id-\u0001", Platform.WEB, null, new Contact(null, null, null, null), null,
				null, Status.COMPLETED, new Ref("f", null), null, null, null,
				Instant.parse("2025-01-01T00:00:00.000000001Z"), null, true, null, tags, Map.of("k", "v\n"), null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, null));
		for (Conversation conversation : conversations) {
			ConversationDocument document = this.documents.of("org-1", conversation, 4, null, null, null, null,
					Instant.EPOCH, null);
			List<String> row = new ArrayList<>();
			row.add(ExportRows.FORMAT);
			for (Column column : Column.ALL) {
				row.add(rows.cells(document).get(column));
			}
			assertThat(document.exportRow()).as(conversation.id())
				.isEqualTo(java.util.Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(row)));
			assertThat(rows.cells(document).get(Column.PARAMETERS))
				.isEqualTo((document.parameters() == null || document.parameters().isEmpty()) ? null
						: JSON.writeValueAsString(document.parameters()));
			assertThat(rows.cells(document).get(Column.TAGS))
				.isEqualTo((document.tags() == null || document.tags().isEmpty()) ? null
						: JSON.writeValueAsString(document.tags()));
		}
	}

	@Test
	void writesFreeFormValuesAsAMapperConfiguredOtherwiseDoes() {
		Map<String, Object> tags = new LinkedHashMap<>();
		tags.put("z", "last");
		tags.put("a", Arrays.asList(null, Map.of(), List.of(), ""));
		tags.put("n", null);
		tags.put("m", new LinkedHashMap<>(Map.of("y", 1)));
		ConversationDocument document = new ConversationDocument("org", "id", Platform.WEB, null, null, null, null,
				null, null, null, null, null, Instant.parse("2025-01-01T00:00:00Z"), null, null, null, tags, null, null,
				null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null, null, null, null, null);
		for (JsonMapper other : List.of(JSON.rebuild().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build(),
				JSON.rebuild()
					.changeDefaultPropertyInclusion(
							(inclusion) -> inclusion.withContentInclusion(JsonInclude.Include.NON_EMPTY))
					.build(),
				JSON.rebuild()
					.changeDefaultPropertyInclusion(
							(inclusion) -> inclusion.withContentInclusion(JsonInclude.Include.ALWAYS))
					.build())) {
			assertThat(new String(new DocumentJson(other).bytes(document), StandardCharsets.UTF_8))
				.isEqualTo(new String(other.writeValueAsBytes(document), StandardCharsets.UTF_8));
		}
	}

	@Test
	void writesInstantsAsInstantToStringDoes() {
		Random random = new Random(3);
		for (int i = 0; i < 20_000; i++) {
			long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L);
			int nanos = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1_000;
				default -> random.nextInt(1_000_000_000);
			};
			Instant instant = Instant.ofEpochSecond(seconds, nanos);
			assertThat(DocumentJson.iso(instant)).isEqualTo(instant.toString());
		}
		assertThat(DocumentJson.iso(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00Z");
		assertThat(DocumentJson.iso(Instant.parse("-0001-01-01T00:00:00Z"))).isEqualTo("-0001-01-01T00:00:00Z");
	}

	private void assertSameJson(ConversationDocument document) {
		assertThat(new String(this.documentJson.bytes(document), StandardCharsets.UTF_8)).as(document.id())
			.isEqualTo(new String(JSON.writeValueAsBytes(document), StandardCharsets.UTF_8));
	}

	private static IndexedMessage indexed(Message message, String language) {
		return new IndexedMessage(message.at(), message.senderType(), message.senderName(), message.channel(),
				message.text(), message.data(), message.function(), message.flowNode(), 0.25, 12.0,
				(message.text() != null) ? Map.of(language, message.text()) : null);
	}

}
