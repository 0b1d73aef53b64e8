package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.UUID;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.analyze.AnalyzeToken;
import co.elastic.clients.json.JsonpUtils;
import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive's analyzers on the embedded engine, which has the archive's plugin (and no
 * {@code analysis-common}), through a yearly conversations index made by the templates.
 */
@ArchiveIntegrationTest
class AnalysisIntegrationTests {

	@Autowired
	ElasticsearchClient client;

	@Autowired
	ElasticsearchSettings settings;

	@Autowired
	JsonMapper json;

	ArchiveIndices indices;

	String index;

	@BeforeEach
	void conversationsIndex() throws IOException {
		this.indices = new ArchiveIndices("t" + UUID.randomUUID().toString().substring(0, 8));
		templates().install();
		this.index = this.indices.conversations(2025);
		this.client.indices().create((create) -> create.index(this.index));
	}

	@Test
	void theEmbeddedEngineOffersThePlugin() {
		assertThat(new ClusterAnalysis(this.client, this.json).detect()).isEqualTo(Analysis.Variant.PLUGIN);
	}

	@Test
	void englishStems() throws IOException {
		assertThat(analyze("archive_stem_en", "Refunded refunds REFUNDING")).containsExactly("refund", "refund",
				"refund");
		assertThat(analyze("archive_stem_en", "the customer's invoices")).containsExactly("the", "custom", "invoic");
	}

	@Test
	void otherLanguagesStem() throws IOException {
		assertThat(analyze("archive_stem_es", "canciones facturas factura pagando pagó")).containsExactly("cancion",
				"factur", "factur", "pag", "pag");
		// Stemmed with its accents, then folded: Spanish -ación is a suffix.
		assertThat(analyze("archive_stem_es", "cancelación cancelaciones")).containsExactly("cancel", "cancel");
		assertThat(analyze("archive_stem_fr", "L'avion les avions remboursements remboursé")).containsExactly("avion",
				"le", "avion", "rembours", "rembours");
		assertThat(analyze("archive_stem_de", "Rechnungen Rechnung Kündigungen kundigung")).containsExactly("rechnung",
				"rechnung", "kundig", "kundig");
		assertThat(analyze("archive_stem_pt", "pagamentos pagamento reembolsos")).containsExactly("pagament",
				"pagament", "reembols");
		assertThat(analyze("archive_stem_it", "dell'anno rimborsi rimborso fatture")).containsExactly("anno", "rimbors",
				"rimbors", "fattur");
		assertThat(analyze("archive_stem_nl", "betalingen betaling facturen")).containsExactly("betal", "betal",
				"factur");
	}

	@Test
	void wordsAreFoldedWithoutArticlesOrPossessivesButNotStemmed() throws IOException {
		assertThat(analyze("archive_words", "Café l'avion customer's Refunds")).containsExactly("cafe", "avion",
				"customer", "refunds");
	}

	@Test
	void exactKeepsAccents() throws IOException {
		assertThat(analyze("archive_exact", "Café Crème")).containsExactly("café", "crème");
		assertThat(analyze("transcript", "Café Refunds")).containsExactly("café", "refunds");
	}

	@Test
	void theTemplateNamesItsAnalysisAndIsPutAgainForAnother() throws IOException {
		String name = this.indices.prefix() + "-conversations-mappings";
		var installed = this.client.cluster().getComponentTemplate((get) -> get.name(name)).componentTemplates().get(0);
		assertThat(installed.componentTemplate().meta().get("analysis").to(String.class)).isEqualTo("plugin");
		assertThat(templates().install()).isEmpty();

		// As if installed by an instance on another cluster's analysis: the same version,
		// another _meta.analysis.
		ObjectNode template = (ObjectNode) this.json
			.readTree(JsonpUtils.toJsonString(installed.componentTemplate(), this.client._jsonpMapper()));
		template.properties()
			.removeIf(
					(field) -> field.getKey().startsWith("created_date") || field.getKey().startsWith("modified_date"));
		template.withObject("_meta").put("analysis", "analysis-common");
		String body = this.json.writeValueAsString(template);
		this.client.cluster().putComponentTemplate((put) -> put.name(name).withJson(new StringReader(body)));

		assertThat(templates().install()).containsExactly(name);
		assertThat(this.client.cluster()
			.getComponentTemplate((get) -> get.name(name))
			.componentTemplates()
			.get(0)
			.componentTemplate()
			.meta()
			.get("analysis")
			.to(String.class)).isEqualTo("plugin");
	}

	private List<String> analyze(String analyzer, String text) throws IOException {
		return this.client.indices()
			.analyze((analyze) -> analyze.index(this.index).analyzer(analyzer).text(text))
			.tokens()
			.stream()
			.map(AnalyzeToken::token)
			.toList();
	}

	private IndexTemplates templates() {
		return new IndexTemplates(this.client, this.indices, this.settings, new PathMatchingResourcePatternResolver(),
				this.json, "classpath*:index-templates/");
	}

}
