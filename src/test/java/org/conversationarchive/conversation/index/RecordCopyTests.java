package org.conversationarchive.conversation.index;

import org.conversationarchive.conversation.ConversationDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A copy changes one component and shares the others as they are.
 */
class RecordCopyTests {

	@Test
	void changesOneComponentAndSharesTheOthers() {
		ConversationDocument document = EveryFieldTests.filled(ConversationDocument.class);
		ConversationDocument copy = RecordCopy.of(ConversationDocument.class, "exportRow").with(document, "row");
		assertThat(copy.exportRow()).isEqualTo("row");
		assertThat(copy.messages()).isSameAs(document.messages());
		assertThat(copy.tags()).isSameAs(document.tags());
		assertThat(RecordCopy.of(ConversationDocument.class, "exportRow").with(copy, document.exportRow()))
			.isEqualTo(document);
	}

	@Test
	void anUnknownComponentIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RecordCopy.of(ConversationDocument.class, "nope"))
			.withMessageContaining("no component 'nope'");
	}

}
