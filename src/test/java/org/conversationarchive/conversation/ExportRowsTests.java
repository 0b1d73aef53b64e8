package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

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
			ConversationDocument document = this.documents.of("org", conversation, 2, null, null, null, Instant.EPOCH);
			Map<String, Object> source = JSON.readValue(JSON.writeValueAsBytes(document), new TypeReference<>() {
			});
			Map<String, Object> columnsOnly = source.entrySet()
				.stream()
				.filter((field) -> ExportRows.FIELDS.contains(field.getKey()))
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
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
			ConversationDocument document = this.documents.of("org", conversation, 2, null, null, null, Instant.EPOCH);
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

}
