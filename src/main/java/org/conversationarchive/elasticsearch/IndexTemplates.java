package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.JsonData;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Installs the component and index templates of {@code index-templates/} idempotently: a
 * template is written only when the cluster lacks it or holds an older version. When a
 * component template with mappings changes, its new mappings are also put on the existing
 * indices that use it, so that fields added in a new version work on old indices too (a
 * change that is not additive fails the start, which is the point).
 * <p>
 * A template's {@code "analysis": "{{analysis}}"} becomes the {@link Analysis} of what
 * the cluster offers (the {@code analysis-common} module or the archive's plugin), named
 * in its {@code _meta.analysis}; a component template installed for the other variant is
 * put again at the same version. Existing indices keep their analysis: the analyzers'
 * names are the same in both.
 */
public class IndexTemplates {

	private static final Logger logger = LoggerFactory.getLogger(IndexTemplates.class);

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final ElasticsearchSettings settings;

	private final ResourcePatternResolver resources;

	private final JsonMapper json;

	private static final String ANALYSIS = "\"{{analysis}}\"";

	private final String location;

	private final Supplier<Analysis.Variant> analysis;

	private Analysis.@Nullable Variant variant;

	IndexTemplates(ElasticsearchClient client, ArchiveIndices indices, ElasticsearchSettings settings,
			ResourcePatternResolver resources, JsonMapper json, String location) {
		this(client, indices, settings, resources, json, location, new ClusterAnalysis(client, json)::detect);
	}

	IndexTemplates(ElasticsearchClient client, ArchiveIndices indices, ElasticsearchSettings settings,
			ResourcePatternResolver resources, JsonMapper json, String location, Supplier<Analysis.Variant> analysis) {
		this.location = location;
		this.analysis = analysis;
		this.client = client;
		this.indices = indices;
		this.settings = settings;
		this.resources = resources;
		this.json = json;
	}

	/**
	 * Installs what is missing or older than the files.
	 * @return the names of the templates written
	 */
	public List<String> install() {
		List<String> written = new ArrayList<>();
		Set<String> changedMappings = new HashSet<>();
		for (Template component : load("component")) {
			Installed found = installedComponent(component.name());
			Long installed = (found != null) ? found.version() : null;
			boolean otherAnalysis = found != null && component.analysis() != null
					&& !component.analysis().equals(found.analysis());
			if (installed == null || installed < component.version() || otherAnalysis) {
				if (otherAnalysis && installed >= component.version()) {
					logger.info("Putting {} again for analysis by {} (installed: {})", component.name(),
							component.analysis(), found.analysis());
				}
				call(() -> this.client.cluster()
					.putComponentTemplate((put) -> put.name(component.name()).withJson(component.reader())));
				written.add(component.name());
				if (installed != null && installed < component.version()
						&& component.body().path("template").has("mappings")) {
					changedMappings.add(component.name());
				}
			}
		}
		for (Template index : load("index")) {
			Long installed = installedIndexTemplateVersion(index.name());
			if (installed == null || installed < index.version()) {
				call(() -> this.client.indices()
					.putIndexTemplate((put) -> put.name(index.name()).withJson(index.reader())));
				written.add(index.name());
				if (installed != null && index.body().path("template").has("mappings")) {
					// Fields added to the template's own mappings work on its existing
					// indices too.
					putMappings(index, index.body().path("template").path("mappings").toString(), index.name());
				}
			}
			for (JsonNode component : index.body().path("composed_of")) {
				if (changedMappings.contains(component.asString())) {
					updateExistingMappings(index, component.asString());
				}
			}
		}
		if (!written.isEmpty()) {
			logger.info("Installed index templates {}", written);
		}
		return written;
	}

	private void updateExistingMappings(Template index, String componentName) {
		Template component = load("component").stream()
			.filter((each) -> each.name().equals(componentName))
			.findFirst()
			.orElseThrow();
		putMappings(index, component.body().path("template").path("mappings").toString(), componentName);
	}

	private void putMappings(Template index, String mappings, String source) {
		List<String> patterns = new ArrayList<>();
		index.body().path("index_patterns").forEach((pattern) -> patterns.add(pattern.asString()));
		logger.info("Putting the mappings of {} on existing indices {}", source, patterns);
		List<String> older = new ArrayList<>();
		analyzersOf(patterns).forEach((name, analyzers) -> {
			JsonNode mapping = this.json.readTree(mappings);
			if (withAnalyzersOf(mapping, analyzers)) {
				older.add(name);
			}
			call(() -> this.client.indices()
				.putMapping((put) -> put.index(name).withJson(new StringReader(mapping.toString()))));
		});
		if (!older.isEmpty()) {
			logger.warn("Indices {} were created with an older analysis: until they are rebuilt, stems, accents and "
					+ "quoted phrases find only what was written to them since (README: Rebuilding the conversation indices)",
					older);
		}
	}

	/**
	 * Each existing index matching the patterns, with the analyzers its settings define.
	 */
	private Map<String, Set<String>> analyzersOf(List<String> patterns) {
		try {
			var answer = this.client.indices()
				.getSettings((get) -> get.index(patterns).allowNoIndices(true).ignoreUnavailable(true));
			Map<String, Set<String>> analyzers = new TreeMap<>();
			answer.settings().forEach((name, state) -> {
				var settings = state.settings();
				var index = (settings != null && settings.index() != null) ? settings.index() : settings;
				var analysis = (index != null) ? index.analysis() : null;
				analyzers.put(name, (analysis != null) ? Set.copyOf(analysis.analyzer().keySet()) : Set.of());
			});
			return analyzers;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Makes mappings fit an index created with an older analysis: an analyzer the index
	 * does not define (its settings cannot change while it is open) becomes
	 * {@code transcript}, which every conversations index has. Its existing fields keep
	 * their analysis, new ones get that one until the index is rebuilt.
	 * @return whether any analyzer was missing
	 */
	static boolean withAnalyzersOf(JsonNode mapping, Set<String> analyzers) {
		boolean missing = false;
		if (mapping instanceof ObjectNode object) {
			for (String key : List.of("analyzer", "search_analyzer")) {
				JsonNode analyzer = object.get(key);
				if (analyzer != null && analyzer.isString() && !BUILT_IN.contains(analyzer.asString())
						&& !analyzers.contains(analyzer.asString())) {
					object.put(key, "transcript");
					missing = true;
				}
			}
		}
		for (JsonNode child : mapping) {
			missing |= withAnalyzersOf(child, analyzers);
		}
		return missing;
	}

	private static final Set<String> BUILT_IN = Set.of("standard", "simple", "whitespace", "keyword", "stop");

	private @Nullable Installed installedComponent(String name) {
		try {
			var templates = this.client.cluster().getComponentTemplate((get) -> get.name(name)).componentTemplates();
			if (templates.isEmpty()) {
				return null;
			}
			var template = templates.get(0).componentTemplate();
			var meta = template.meta();
			JsonData analysis = (meta != null) ? meta.get("analysis") : null;
			return new Installed(versionOrZero(template.version()),
					(analysis != null) ? analysis.to(String.class) : null);
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 404) {
				return null;
			}
			throw ex;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private @Nullable Long installedIndexTemplateVersion(String name) {
		try {
			var templates = this.client.indices().getIndexTemplate((get) -> get.name(name)).indexTemplates();
			return templates.isEmpty() ? null : versionOrZero(templates.get(0).indexTemplate().version());
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 404) {
				return null;
			}
			throw ex;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static long versionOrZero(@Nullable Long version) {
		return (version != null) ? version : 0;
	}

	private List<Template> load(String kind) {
		try {
			Resource[] found = this.resources.getResources(this.location + kind + "/*.json");
			return Arrays.stream(found)
				.sorted(Comparator.comparing(Resource::getFilename))
				.map(this::template)
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Template template(Resource resource) {
		try {
			String text = resource.getContentAsString(StandardCharsets.UTF_8)
				.replace("{{prefix}}", this.indices.prefix())
				.replace("{{shards}}", Integer.toString(this.settings.shards()))
				.replace("{{refreshInterval}}", this.settings.refreshInterval().toMillis() + "ms");
			String fileName = resource.getFilename();
			String name = this.indices.prefix() + "-" + fileName.substring(0, fileName.length() - ".json".length());
			String analysis = null;
			if (text.contains(ANALYSIS)) {
				Analysis.Variant variant = variant();
				analysis = variant.id();
				text = text.replace(ANALYSIS, this.json.writeValueAsString(Analysis.settings(variant)));
			}
			JsonNode body = this.json.readTree(text);
			if (analysis != null) {
				((ObjectNode) body).withObject("_meta").put("analysis", analysis);
				text = this.json.writeValueAsString(body);
			}
			return new Template(name, body.path("version").asLong(0), body, text, analysis);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void call(IoCall call) {
		try {
			call.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private interface IoCall {

		void run() throws IOException;

	}

	private synchronized Analysis.Variant variant() {
		if (this.variant == null) {
			this.variant = this.analysis.get();
		}
		return this.variant;
	}

	private record Installed(long version, @Nullable String analysis) {

	}

	private record Template(String name, long version, JsonNode body, String text, @Nullable String analysis) {

		StringReader reader() {
			return new StringReader(this.text);
		}

	}

}
