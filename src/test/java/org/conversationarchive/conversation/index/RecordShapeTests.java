package org.conversationarchive.conversation.index;

import java.util.Set;

import org.conversationarchive.conversation.Conversation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A record's shape is its declaration; a field of a type the codec has no JSON form for
 * fails when the codec is made, naming it.
 */
class RecordShapeTests {

	@Test
	void fieldsFollowTheDeclaration() {
		RecordShape<Conversation.Ref> shape = RecordShape.of(Conversation.Ref.class);
		assertThat(shape.fields()).extracting(RecordShape.Field::name).containsExactly("id", "name");
		assertThat(shape.create(new Object[] { "f-1", "Billing" })).isEqualTo(new Conversation.Ref("f-1", "Billing"));
		assertThat(shape.fields()[1].get(new Conversation.Ref("f-1", "Billing"))).isEqualTo("Billing");
	}

	@Test
	void aTypeWithoutAJsonFormIsNamed() {
		assertThatIllegalStateException().isThrownBy(() -> RecordShape.of(Unsupported.class))
			.withMessageContaining("java.util.Set<java.lang.String>")
			.withMessageContaining(Unsupported.class.getName());
	}

	record Unsupported(Set<String> values) {
	}

}
