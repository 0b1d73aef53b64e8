package org.conversationarchive.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.Conversation.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LanguagesTests {

	@Test
	void aLanguageTagIsReadAsACodeALocaleOrAName() {
		assertThat(Languages.code("es")).isEqualTo("es");
		assertThat(Languages.code(" ES-mx ")).isEqualTo("es");
		assertThat(Languages.code("pt_BR")).isEqualTo("pt");
		assertThat(Languages.code("German")).isEqualTo("de");
		assertThat(Languages.code("Español")).isEqualTo("es");
		assertThat(Languages.code("fra")).isEqualTo("fr");
		assertThat(Languages.code("Klingon")).isNull();
		assertThat(Languages.code("xx")).isNull();
		assertThat(Languages.code("")).isNull();
	}

	@Test
	void theTagWinsAndItsFirstValueCounts() {
		List<Message> spanish = messages("Hola, quiero un reembolso de mi pedido, por favor, lo antes posible.");
		assertThat(Languages.of(Map.of("Language", "en"), spanish)).isEqualTo("en");
		assertThat(Languages.of(Map.of("language", List.of("fr", "en")), spanish)).isEqualTo("fr");
		assertThat(Languages.of(Map.of("Language", "not a language"), spanish)).isEqualTo("es");
		assertThat(Languages.of(null, spanish)).isEqualTo("es");
	}

	@Test
	void withoutATagTheWordsTell() {
		assertThat(Languages.of(Map.of(), messages("I would like a refund for my order, it arrived broken yesterday.",
				"I'm sorry to hear that. Let me look up your order number.")))
			.isEqualTo("en");
		assertThat(Languages.of(Map.of(), messages("Ich möchte meine Bestellung stornieren, die Lieferung ist zu spät.",
				"Das tut mir leid. Ich kümmere mich sofort darum.")))
			.isEqualTo("de");
		assertThat(Languages.of(Map.of(), messages("Je voudrais annuler ma commande, la livraison est en retard.",
				"Merci de votre patience, je vérifie tout de suite.")))
			.isEqualTo("fr");
		assertThat(Languages.of(Map.of(), messages("Gostaria de cancelar o meu pedido, a entrega está atrasada.",
				"Obrigado pela ajuda, vou esperar a resposta.")))
			.isEqualTo("pt");
		assertThat(Languages.of(Map.of(), messages("Vorrei annullare il mio ordine, la consegna è in ritardo.",
				"Grazie per la pazienza, controllo subito.")))
			.isEqualTo("it");
		assertThat(Languages.of(Map.of(), messages("Ik wil mijn bestelling annuleren, de levering is te laat.",
				"Bedankt voor uw geduld, ik kijk het meteen na.")))
			.isEqualTo("nl");
	}

	@Test
	void tooLittleTextTellsNothing() {
		assertThat(Languages.of(Map.of(), messages("ok"))).isNull();
		assertThat(Languages.of(Map.of(), List.of())).isNull();
		assertThat(Languages.of(null, null)).isNull();
	}

	private static List<Message> messages(String... texts) {
		return java.util.Arrays.stream(texts)
			.map((text) -> new Message(Instant.EPOCH, SenderType.USER, null, null, text, null, null, null))
			.toList();
	}

}
