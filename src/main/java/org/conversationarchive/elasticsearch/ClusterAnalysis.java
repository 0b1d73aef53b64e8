package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.AnalyzeResponse;
import co.elastic.clients.elasticsearch.indices.analyze.AnalyzeToken;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds out which analysis the cluster offers on every node ({@code GET _nodes/plugins}),
 * confirms it with an {@code _analyze} probe, and fails the start with what to install
 * when it offers neither.
 */
final class ClusterAnalysis {

	private static final Logger logger = LoggerFactory.getLogger(ClusterAnalysis.class);

	static final String ANALYSIS_COMMON = "analysis-common";

	private final ElasticsearchClient client;

	private final JsonMapper json;

	ClusterAnalysis(ElasticsearchClient client, JsonMapper json) {
		this.client = client;
		this.json = json;
	}

	/**
	 * What one node has loaded.
	 *
	 * @param name the node's name
	 * @param components the names of its plugins and modules
	 */
	record Node(String name, Set<String> components) {
	}

	/**
	 * The analysis the cluster offers, probed.
	 * @return the variant to generate the index analysis for
	 * @throws EngineStartupException when no node offers one of them on every node, or
	 * the probe fails
	 */
	Analysis.Variant detect() {
		Analysis.Variant variant = choose(nodes());
		probe(variant);
		logger.info("Analysis by {} (every node has it)", variant.id());
		return variant;
	}

	/**
	 * The variant every node offers: {@code analysis-common} when it can (indices then
	 * need nothing beyond the distribution), else the archive's plugin.
	 * @param nodes the cluster's nodes
	 * @return the variant
	 * @throws EngineStartupException when neither is on every node
	 */
	static Analysis.Variant choose(List<Node> nodes) {
		if (!nodes.isEmpty() && nodes.stream().allMatch((node) -> node.components().contains(ANALYSIS_COMMON))) {
			return Analysis.Variant.ANALYSIS_COMMON;
		}
		if (!nodes.isEmpty() && nodes.stream().allMatch((node) -> node.components().contains(AnalysisPlugin.NAME))) {
			return Analysis.Variant.PLUGIN;
		}
		List<String> lacking = nodes.stream()
			.filter((node) -> !node.components().contains(ANALYSIS_COMMON)
					&& !node.components().contains(AnalysisPlugin.NAME))
			.map(Node::name)
			.toList();
		String which = lacking.isEmpty() ? "some nodes have only the one, others only the other (mixed)"
				: "nodes " + lacking + " have neither";
		throw new EngineStartupException(
				"The Elasticsearch cluster lacks the analysis the archive needs (stemming, "
						+ "ASCII folding, elision): neither the analysis-common module nor the archive's plugin "
						+ AnalysisPlugin.NAME + " is on every node; " + which + ".",
				"Either run a distribution with analysis-common on every node (the default Elasticsearch distribution "
						+ "has it), or install the archive's plugin on every node and restart them: "
						+ "bin/elasticsearch-plugin install file:///path/to/archive-analysis.zip. The zip is inside the "
						+ "archive's jar (unzip -j conversation-archive.jar BOOT-INF/classes/" + AnalysisPlugin.RESOURCE
						+ ") and, after a build, at target/classes/" + AnalysisPlugin.RESOURCE + ".");
	}

	private List<Node> nodes() {
		if (!(this.client._transport() instanceof Rest5ClientTransport transport)) {
			throw new IllegalStateException("Expected the REST 5 transport, got " + this.client._transport());
		}
		Request request = new Request("GET", "/_nodes/plugins");
		request.addParameter("filter_path", "nodes.*.name,nodes.*.plugins.name,nodes.*.modules.name");
		try {
			Response response = transport.restClient().performRequest(request);
			JsonNode body;
			try (InputStream content = response.getEntity().getContent()) {
				body = this.json.readTree(content);
			}
			List<Node> nodes = new ArrayList<>();
			for (Map.Entry<String, JsonNode> node : body.path("nodes").properties()) {
				Set<String> components = new HashSet<>();
				node.getValue().path("plugins").forEach((plugin) -> components.add(plugin.path("name").asString()));
				node.getValue().path("modules").forEach((module) -> components.add(module.path("name").asString()));
				nodes.add(new Node(node.getValue().path("name").asString(node.getKey()), components));
			}
			return nodes;
		}
		catch (IOException ex) {
			throw new EngineStartupException("Cannot list the Elasticsearch nodes' plugins: " + ex.getMessage(),
					"Check that the cluster answers GET _nodes/plugins for the archive's credentials.");
		}
	}

	/**
	 * Stems one word with the variant's Snowball filter: a listed plugin that does not
	 * load its filters would otherwise fail only when an index is created.
	 */
	private void probe(Analysis.Variant variant) {
		String type = (variant == Analysis.Variant.PLUGIN) ? "archive_snowball" : "snowball";
		String request = """
				{"tokenizer": "standard", "filter": ["lowercase", {"type": "%s", "language": "English"}],
				 "text": "Refunds"}""".formatted(type);
		try {
			AnalyzeResponse response = this.client.indices()
				.analyze((analyze) -> analyze.withJson(new StringReader(request)));
			List<String> tokens = response.tokens().stream().map(AnalyzeToken::token).toList();
			if (!tokens.equals(List.of("refund"))) {
				throw new EngineStartupException(
						"The " + type + " filter of " + variant.id() + " stemmed \"Refunds\" to " + tokens
								+ ", not [refund].",
						"Check the " + variant.id() + " installed on the cluster's nodes.");
			}
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof EngineStartupException startup) {
				throw startup;
			}
			throw new EngineStartupException(
					"The cluster lists " + variant.id() + " but its " + type + " filter does not work: "
							+ ex.getMessage(),
					"Check the nodes' logs; reinstall " + ((variant == Analysis.Variant.PLUGIN)
							? "the plugin (bin/elasticsearch-plugin install file:///…/archive-analysis.zip)"
							: "the analysis-common module") + " on every node.");
		}
	}

}
