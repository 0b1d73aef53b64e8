package org.conversationarchive.conversation;

import org.conversationarchive.conversation.Conversation.Contact;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the table and the CSV show as a conversation's contact.
 */
class ContactTests {

	@Test
	void aNameElseAPhoneNumberElseAnEmailAddressElseTheId() {
		assertThat(new Contact("c1", "Ada", "+15550001", "ada@example.com").display()).isEqualTo("Ada");
		assertThat(new Contact("c1", null, "+15550001", "ada@example.com").display()).isEqualTo("+15550001");
		assertThat(new Contact("c1", null, null, "ada@example.com").display()).isEqualTo("ada@example.com");
		assertThat(new Contact("c1", null, null, null).display()).isEqualTo("c1");
		assertThat(new Contact(null, null, null, null).display()).isNull();
	}

	@Test
	void blankValuesAreSkipped() {
		assertThat(new Contact("c1", " ", "", "ada@example.com").display()).isEqualTo("ada@example.com");
		assertThat(new Contact(" ", "", "\t", null).display()).isNull();
	}

	@Test
	void jsonHoldsOnlyTheComponents() {
		JsonMapper json = JsonMapper.builder().build();
		Contact contact = new Contact("c1", "Ada", "+15550001", "ada@example.com");
		assertThat(json.writeValueAsString(contact))
			.isEqualTo("{\"id\":\"c1\",\"name\":\"Ada\",\"phone\":\"+15550001\",\"email\":\"ada@example.com\"}");
		assertThat(json.readValue(json.writeValueAsString(contact), Contact.class)).isEqualTo(contact);
	}

}
