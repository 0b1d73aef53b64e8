package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The index analysis for either source of filters, and which source the cluster's nodes
 * decide.
 */
class AnalysisTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void analysisCommonVariantUsesTheModulesFilters() {
		JsonNode analysis = this.json.valueToTree(Analysis.settings(Analysis.Variant.ANALYSIS_COMMON));

		assertThat(analysis.path("analyzer").propertyNames()).containsExactly("transcript", "archive_exact",
				"archive_words", "archive_stem_en", "archive_stem_es", "archive_stem_fr", "archive_stem_de",
				"archive_stem_pt", "archive_stem_it", "archive_stem_nl");
		JsonNode filters = analysis.path("filter");
		assertThat(filters.path("archive_elided_articles").path("type").asString()).isEqualTo("elision");
		assertThat(filters.path("archive_elided_articles").path("articles_case").asBoolean()).isTrue();
		assertThat(filters.path("archive_elided_articles").path("articles").values()).map(JsonNode::asString)
			.contains("l", "qu", "jusqu", "dell", "nell", "all");
		assertThat(filters.path("archive_english_possessive").path("type").asString()).isEqualTo("stemmer");
		assertThat(filters.path("archive_english_possessive").path("language").asString())
			.isEqualTo("possessive_english");
		assertThat(filters.path("archive_folding").path("type").asString()).isEqualTo("asciifolding");
		assertThat(filters.path("archive_snowball_de").path("type").asString()).isEqualTo("snowball");
		assertThat(filters.path("archive_snowball_de").path("language").asString()).isEqualTo("German");
		assertThat(chain(analysis, "archive_stem_fr")).containsExactly("archive_elided_articles", "lowercase",
				"archive_snowball_fr", "archive_folding");
		assertThat(chain(analysis, "archive_stem_en")).containsExactly("archive_english_possessive", "lowercase",
				"archive_snowball_en", "archive_folding");
		assertThat(chain(analysis, "archive_stem_nl")).containsExactly("lowercase", "archive_snowball_nl",
				"archive_folding");
		assertThat(chain(analysis, "archive_words")).containsExactly("archive_elided_articles",
				"archive_english_possessive", "lowercase", "archive_folding");
		assertThat(chain(analysis, "archive_exact")).containsExactly("lowercase");
		assertThat(chain(analysis, "transcript")).containsExactly("lowercase");
		assertThat(analysis.path("normalizer").path("lowercase").path("filter").values()).map(JsonNode::asString)
			.containsExactly("lowercase");
	}

	@Test
	void pluginVariantHasTheSameAnalyzersOnThePluginsFilters() {
		JsonNode plugin = this.json.valueToTree(Analysis.settings(Analysis.Variant.PLUGIN));
		JsonNode common = this.json.valueToTree(Analysis.settings(Analysis.Variant.ANALYSIS_COMMON));

		assertThat(plugin.path("analyzer")).isEqualTo(common.path("analyzer"));
		assertThat(plugin.path("filter").propertyNames())
			.containsExactlyElementsOf(common.path("filter").propertyNames());
		Set<String> types = new TreeSet<>();
		plugin.path("filter").values().forEach((filter) -> types.add(filter.path("type").asString()));
		assertThat(types).containsExactly("archive_asciifolding", "archive_elision", "archive_possessive",
				"archive_snowball");
	}

	@Test
	void everyLanguageHasAStemmingAnalyzer() {
		assertThat(Analysis.LANGUAGES).containsExactly("en", "es", "fr", "de", "pt", "it", "nl");
		assertThat(Analysis.LANGUAGES).map(Analysis::stemmed).allMatch((name) -> name.startsWith("archive_stem_"));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> Analysis.stemmed("xx"));
	}

	@Test
	void thePluginsZipNamesExactlyItsFilters() throws IOException {
		Map<String, String> components = null;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream(AnalysisPlugin.RESOURCE);
				ZipInputStream zip = new ZipInputStream(in)) {
			for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
				if (entry.getName().equals("named_components.json")) {
					JsonNode named = this.json.readTree(zip.readAllBytes())
						.path("org.elasticsearch.plugin.analysis.TokenFilterFactory");
					components = new java.util.TreeMap<>();
					for (var each : named.properties()) {
						components.put(each.getKey(), each.getValue().asString());
					}
				}
			}
		}
		assertThat(components).containsOnlyKeys("archive_snowball", "archive_asciifolding", "archive_elision",
				"archive_possessive");
		try (var sources = Files.list(Path.of("src/es-plugin/java/org/conversationarchive/analysis/plugin"))) {
			assertThat(sources.map((source) -> "org.conversationarchive.analysis.plugin."
					+ source.getFileName().toString().replace(".java", "")))
				.containsExactlyInAnyOrderElementsOf(components.values());
		}
	}

	@Test
	void thePluginElidesWhatTheModuleIsToldTo() throws IOException {
		String source = Files.readString(
				Path.of("src/es-plugin/java/org/conversationarchive/analysis/plugin/ElisionTokenFilterFactory.java"));
		String list = source.substring(source.indexOf("List.of(") + "List.of(".length(),
				source.indexOf(");", source.indexOf("List.of(")));
		List<String> articles = java.util.Arrays.stream(list.split(","))
			.map((article) -> article.strip().replace("\"", ""))
			.toList();
		assertThat(articles).isEqualTo(Analysis.ELIDED);
	}

	@Test
	void analysisCommonOnEveryNodeIsPreferred() {
		assertThat(ClusterAnalysis.choose(List.of(node("n1", "analysis-common", "archive-analysis"),
				node("n2", "analysis-common", "archive-analysis"))))
			.isEqualTo(Analysis.Variant.ANALYSIS_COMMON);
		assertThat(ClusterAnalysis.choose(List.of(node("n1", "analysis-common"), node("n2", "analysis-common"))))
			.isEqualTo(Analysis.Variant.ANALYSIS_COMMON);
	}

	@Test
	void thePluginOnEveryNodeServesWhenAnalysisCommonIsNotEverywhere() {
		assertThat(ClusterAnalysis.choose(List.of(node("n1", "archive-analysis", "transport-netty4"))))
			.isEqualTo(Analysis.Variant.PLUGIN);
		assertThat(ClusterAnalysis
			.choose(List.of(node("n1", "analysis-common", "archive-analysis"), node("n2", "archive-analysis"))))
			.isEqualTo(Analysis.Variant.PLUGIN);
	}

	@Test
	void mixedNodesFailTheStartSayingWhatToInstall() {
		assertThatExceptionOfType(EngineStartupException.class).isThrownBy(
				() -> ClusterAnalysis.choose(List.of(node("n1", "analysis-common"), node("n2", "archive-analysis"))))
			.withMessageContaining("mixed")
			.satisfies((ex) -> assertThat(ex.action()).contains("bin/elasticsearch-plugin install file:///")
				.contains("analysis-common"));
	}

	@Test
	void neitherFailsTheStartNamingTheNodes() {
		assertThatExceptionOfType(EngineStartupException.class)
			.isThrownBy(() -> ClusterAnalysis.choose(List.of(node("n1", "analysis-common"), node("n2", "apm"))))
			.withMessageContaining("[n2]")
			.satisfies((ex) -> assertThat(ex.action()).contains("archive-analysis.zip")
				.contains("BOOT-INF/classes/elasticsearch-plugin/archive-analysis.zip")
				.contains("target/classes/elasticsearch-plugin/archive-analysis.zip"));
		assertThatExceptionOfType(EngineStartupException.class).isThrownBy(() -> ClusterAnalysis.choose(List.of()));
	}

	private static List<String> chain(JsonNode analysis, String analyzer) {
		JsonNode definition = analysis.path("analyzer").path(analyzer);
		assertThat(definition.path("tokenizer").asString()).isEqualTo("standard");
		return definition.path("filter").values().stream().map(JsonNode::asString).toList();
	}

	private static ClusterAnalysis.Node node(String name, String... components) {
		return new ClusterAnalysis.Node(name, Set.of(components));
	}

}
