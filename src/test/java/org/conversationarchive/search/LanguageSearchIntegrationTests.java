package org.conversationarchive.search;

import java.time.Instant;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.conversationarchive.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search that understands language, against the real engine with the archive's analysis
 * plugin, on a fixture built for it: a bare word finds its forms and its accents in each
 * stemmed language, a quoted phrase its words as written, {@code ~} typos, {@code within}
 * the first or last seconds; the language is a facet and a filter; highlights mark what
 * matched and hits say when it was said.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest
@Import(TestUsers.class)
class LanguageSearchIntegrationTests {

	private static final Instant START = Instant.parse("2025-06-02T10:00:00Z");

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	private OrgApi api;

	@BeforeAll
	void fixture() {
		this.api = new OrgApi(this.http, this.json, "languages");
		this.api.bulk(conversation("en-refunded", "en", said(0, "Hello, I was charged twice."),
				said(20, "The money was refunded yesterday."), said(90, "Thanks, bye"))
				+ conversation("en-refunds", "English", said(0, "Do you handle refunds for late orders?"),
						said(100, "Yes, we do."))
				+ conversation("en-refund", null,
						said(0, "I would like a refund for my order, it arrived broken yesterday and I am not happy."),
						said(10, "I'm sorry to hear that. Let me look up your order number right away."))
				+ conversation("en-cafe", "en", said(0, "Can I order at the café on the corner?"),
						said(5, "The customer's order is ready."))
				+ conversation("en-cafe-plain", "en", said(0, "The cafe is closed today."))
				+ conversation("es-reembolsos", "es", said(0, "Quiero saber cuándo llegan los reembolsos."),
						said(40, "Mañana, señora."))
				+ conversation("es-reembolso", "es-MX", said(0, "Necesito un reembolso de mi pedido."))
				+ conversation("fr-commandes", "fr", said(0, "Toutes mes commandes sont en retard."),
						said(3, "J'appelle l'avion de la compagnie."))
				+ conversation("de-bestellungen", "de", said(0, "Meine Bestellungen sind nicht angekommen."))
				+ conversation("de-bestellung", "German", said(0, "Wo ist meine Bestellung?"))
				+ conversation("pt-pedidos", "pt-BR", said(0, "Os meus pedidos estão atrasados."))
				+ conversation("it-ordini", "it", said(0, "I miei ordini sono in ritardo."))
				+ conversation("nl-bestellingen", "nl", said(0, "Mijn bestellingen zijn te laat."))
				+ conversation("nl-bestelling", "nl", said(0, "Waar is mijn bestelling?")));
	}

	@Test
	void aBareWordFindsItsFormsInEnglish() {
		assertThat(ids("refund")).containsExactly("en-refund", "en-refunded", "en-refunds");
		assertThat(ids("refunded")).containsExactly("en-refund", "en-refunded", "en-refunds");
		assertThat(ids("customer")).containsExactly("en-cafe");
	}

	@Test
	void aBareWordFindsItsFormsInEachLanguage() {
		assertThat(ids("reembolso")).containsExactly("es-reembolso", "es-reembolsos");
		assertThat(ids("commande")).containsExactly("fr-commandes");
		assertThat(ids("avion")).containsExactly("fr-commandes");
		assertThat(ids("Bestellung")).containsExactly("de-bestellung", "de-bestellungen");
		assertThat(ids("pedido")).containsExactly("es-reembolso", "pt-pedidos");
		assertThat(ids("ordine")).containsExactly("it-ordini");
		assertThat(ids("bestelling")).containsExactly("nl-bestelling", "nl-bestellingen");
	}

	@Test
	void accentsMatchWithOrWithout() {
		assertThat(ids("cafe")).containsExactly("en-cafe", "en-cafe-plain");
		assertThat(ids("café")).containsExactly("en-cafe", "en-cafe-plain");
		assertThat(ids("cuando")).containsExactly("es-reembolsos");
		assertThat(ids("caf*")).containsExactly("en-cafe", "en-cafe-plain");
	}

	@Test
	void aQuotedPhraseMatchesItsWordsAsWrittenUpToCase() {
		assertThat(ids("\"refunded\"")).containsExactly("en-refunded");
		assertThat(ids("\"The MONEY was refunded\"")).containsExactly("en-refunded");
		assertThat(ids("\"café\"")).containsExactly("en-cafe");
		assertThat(ids("\"cafe\"")).containsExactly("en-cafe-plain");
		assertThat(ids("\"money refunded\"~2")).containsExactly("en-refunded");
	}

	@Test
	void aTildeFindsTypos() {
		assertThat(ids("refnd~")).containsExactly("en-refund");
		assertThat(ids("refunded~")).contains("en-refunded");
		assertThat(ids("refnd")).isEmpty();
	}

	@Test
	void withinLimitsTheWordsToTheFirstOrLastSeconds() {
		assertThat(ids("refunded", "within=first:30s")).containsExactly("en-refund", "en-refunded", "en-refunds");
		assertThat(ids("refunded", "within=first:15s")).containsExactly("en-refund", "en-refunds");
		assertThat(ids("refunded", "within=last:30s")).containsExactly("en-refund");
		assertThat(ids("yes", "within=last:1m")).containsExactly("en-refunds");
		assertThat(this.api
			.post("/api/v1/conversations/_search?size=100",
					"{\"content\": {\"query\": \"refunded\", \"within\": \"first:15s\"}}", 200)
			.get("total")
			.asLong()).isEqualTo(2);
		assertThat(this.api.statusOf(org.springframework.http.HttpMethod.GET,
				"/api/v1/conversations?q=refund&within=middle:3s", null))
			.isEqualTo(400);
		assertThat(this.api.statusOf(org.springframework.http.HttpMethod.GET, "/api/v1/conversations?within=first:3s",
				null))
			.isEqualTo(400);
	}

	@Test
	void theLanguageIsAFacetAndAFilter() {
		JsonNode page = this.api.get("/api/v1/conversations?size=100");
		TreeMap<String, Long> languages = new TreeMap<>();
		page.get("facets")
			.get("language")
			.forEach((value) -> languages.put(value.get("value").asString(), value.get("count").asLong()));
		assertThat(languages).containsEntry("en", 5L)
			.containsEntry("es", 2L)
			.containsEntry("fr", 1L)
			.containsEntry("de", 2L)
			.containsEntry("pt", 1L)
			.containsEntry("it", 1L)
			.containsEntry("nl", 2L);
		assertThat(ids(null, "language=de&language=nl")).containsExactly("de-bestellung", "de-bestellungen",
				"nl-bestelling", "nl-bestellingen");
		assertThat(this.api.statusOf(org.springframework.http.HttpMethod.GET, "/api/v1/conversations?language=German",
				null))
			.isEqualTo(400);
	}

	@Test
	void highlightsMarkWhatMatchedAndSayWhenItWasSaid() {
		JsonNode row = this.api.get("/api/v1/conversations?q=" + encode("refund \"money\"") + "&id=en-refunded")
			.get("items")
			.get(0);
		JsonNode hit = row.get("highlights").get(0);
		assertThat(hit.get("fragments").get(0).asString())
			.isEqualTo("The <mark>money</mark> was <mark>refunded</mark> yesterday.");
		assertThat(hit.get("offsetSeconds").asDouble()).isEqualTo(20.0);
	}

	private Set<String> ids(String query) {
		return ids(query, "");
	}

	private Set<String> ids(String query, String more) {
		String uri = "/api/v1/conversations?size=100" + ((query != null) ? "&q=" + encode(query) : "")
				+ (more.isEmpty() ? "" : "&" + more);
		Set<String> ids = new TreeSet<>();
		this.api.get(uri).get("items").forEach((row) -> ids.add(row.get("id").asString()));
		return ids;
	}

	/**
	 * The text as a URI template takes it: the client encodes what needs it (quotes,
	 * accents, spaces), and would encode an encoded text again.
	 */
	private static String encode(String text) {
		return text;
	}

	private static String said(int seconds, String text) {
		return "{\"at\": \"" + START.plusSeconds(seconds) + "\", \"senderType\": \"user\", \"text\": \"" + text + "\"}";
	}

	private static String conversation(String id, String language, String... messages) {
		return "{\"id\": \"" + id + "\", \"platform\": \"web\", \"status\": \"completed\", \"startedAt\": \"" + START
				+ "\"" + ((language != null) ? ", \"tags\": {\"Language\": \"" + language + "\"}" : "")
				+ ", \"messages\": [" + String.join(", ", messages) + "]}\n";
	}

}
