package org.conversationarchive.ingest;

import org.conversationarchive.conversation.ConversationSettings;

import org.conversationarchive.generator.ConversationGenerator;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the generator makes, the archive takes.
 */
class GeneratedConversationsAreValidTests {

	private final ConversationValidator validator = new ConversationValidator(
			new IngestSettings(500, DataSize.ofMegabytes(10), 100000, 1024, 50000, 2),
			new ConversationSettings(10, 50000, 1970, 1));

	@Test
	void everyGeneratedConversationPassesValidation() {
		new ConversationGenerator(2024, ConversationGenerator.Options.of(5000)).stream()
			.forEach((conversation) -> assertThat(this.validator.problem(conversation)).as(conversation.id()).isNull());
	}

	@Test
	void conversationsOfOneContactPassValidation() {
		new ConversationGenerator(5, ConversationGenerator.Options.of(500).withContactId("benchmark-contact")).stream()
			.forEach((conversation) -> assertThat(this.validator.problem(conversation)).as(conversation.id()).isNull());
	}

}
