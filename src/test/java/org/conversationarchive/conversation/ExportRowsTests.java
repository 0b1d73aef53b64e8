package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.generator.ConversationGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An export row's cells, one per column, come from the fields the columns name.
 */
class ExportRowsTests {

	private static final JsonMapper JSON = JsonMapper.builder()
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private final ExportRows rows = new ExportRows(JSON);

	private final ConversationDocuments documents = new ConversationDocuments(new ConversationMapperImpl(), this.rows);

	@Test
	void aDocumentReadWithTheColumnsFieldsAloneHasTheSameCells() {
		new ConversationGenerator(5, ConversationGenerator.Options.of(300)).stream().forEach((conversation) -> {
			ConversationDocument document = this.documents.of("org", conversation, 2, null, null, null, null,
					Instant.EPOCH, null);
			Map<String, Object> source = JSON.readValue(JSON.writeValueAsBytes(document), new TypeReference<>() {
			});
			Map<String, Object> columnsOnly = columnsOnly(source, "");
			ConversationDocument partial = JSON.convertValue(columnsOnly, ConversationDocument.class);
			for (Column column : Column.ALL) {
				assertThat(this.rows.cells(partial).get(column)).as(conversation.id() + " " + column)
					.isEqualTo(this.rows.cells(document).get(column));
			}
		});
	}

	@Test
	void aStoredRowReadsBackCellByCell() {
		new ConversationGenerator(6, ConversationGenerator.Options.of(200)).stream().forEach((conversation) -> {
			ConversationDocument document = this.documents.of("org", conversation, 2, null, null, null, null,
					Instant.EPOCH, null);
			ExportRows.Cells read = this.rows.read(document.exportRow());
			assertThat(read).isNotNull();
			for (Column column : Column.ALL) {
				assertThat(read.get(column)).isEqualTo(this.rows.cells(document).get(column));
			}
		});
	}

	@Test
	void aRowOfAnotherFormatIsNotRead() {
		String other = java.util.Base64.getEncoder().encodeToString("[\"cells-0\",\"a\"]".getBytes());
		assertThat(this.rows.read(other)).isNull();
	}

	/**
	 * The source as Elasticsearch filters it to the columns' fields: a field named, or
	 * the named fields within an object ({@code signals.turns}).
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> columnsOnly(Map<String, Object> source, String prefix) {
		Map<String, Object> kept = new LinkedHashMap<>();
		source.forEach((key, value) -> {
			String path = prefix + key;
			if (ExportRows.FIELDS.contains(path)) {
				kept.put(key, value);
			}
			else if (value instanceof Map<?, ?> object
					&& ExportRows.FIELDS.stream().anyMatch((field) -> field.startsWith(path + "."))) {
				kept.put(key, columnsOnly((Map<String, Object>) object, path + "."));
			}
		});
		return kept;
	}

}
