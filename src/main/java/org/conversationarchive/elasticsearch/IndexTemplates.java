package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Installs the component and index templates of {@code index-templates/} idempotently: a
 * template is written only when the cluster lacks it, holds an older version, or holds
 * the same version rendered with other settings (shards, replicas, partition size,
 * refresh interval, analysis: the rendered body's fingerprint is kept in its
 * {@code _meta.fingerprint}; instances started with the same settings render the same
 * body, so they never put it in turn). The dynamic settings (replicas, refresh interval)
 * are then put on the existing indices too; the static ones (shards, partition size)
 * reach new indices only. When a component template with mappings changes, its new
 * mappings are also put on the existing indices that use it, so that fields added in a
 * new version work on old indices too (a change that is not additive fails the start,
 * which is the point).
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
		List<Template> components = load("component");
		for (Template component : components) {
			Installed found = installedComponent(component.name());
			if (outdated(component, found)) {
				call(() -> this.client.cluster()
					.putComponentTemplate((put) -> put.name(component.name()).withJson(component.reader())));
				written.add(component.name());
				if (found != null && found.version() < component.version()
						&& component.body().path("template").has("mappings")) {
					changedMappings.add(component.name());
				}
			}
		}
		List<Template> indexTemplates = load("index");
		for (Template index : indexTemplates) {
			Installed found = installedIndexTemplate(index.name());
			if (outdated(index, found)) {
				call(() -> this.client.indices()
					.putIndexTemplate((put) -> put.name(index.name()).withJson(index.reader())));
				written.add(index.name());
				if (found != null && index.body().path("template").has("mappings")) {
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
		for (Template index : indexTemplates) {
			putDynamicSettings(index, components);
		}
		return written;
	}

	/**
	 * Whether the cluster lacks a template or holds one the files would replace: an older
	 * version, or the same version rendered otherwise. A newer version (installed by a
	 * newer archive during a rolling upgrade) is left as it is unless it is for the other
	 * analysis than this cluster offers.
	 */
	private static boolean outdated(Template file, @Nullable Installed installed) {
		if (installed == null || installed.version() < file.version()) {
			return true;
		}
		boolean otherAnalysis = file.analysis() != null && !file.analysis().equals(installed.analysis());
		if (otherAnalysis) {
			logger.info("Putting {} again for analysis by {} (installed: {})", file.name(), file.analysis(),
					installed.analysis());
			return true;
		}
		if (installed.version() == file.version() && !file.fingerprint().equals(installed.fingerprint())) {
			logger.info(
					"Putting {} again: the installed one was rendered otherwise (other shards, replicas, routing "
							+ "partition size or refresh interval, or before templates carried a fingerprint)",
					file.name());
			return true;
		}
		return false;
	}

	/**
	 * Puts the replicas and refresh interval a template's indices get (its own settings
	 * over those of its components) on its existing indices that differ, so that a change
	 * of {@code ARCHIVE_ELASTICSEARCH_REPLICAS} or {@code _REFRESH_INTERVAL} reaches
	 * them; shards and the routing partition size are fixed when an index is created.
	 * Comparing first leaves an index alone when nothing changed.
	 */
	private void putDynamicSettings(Template index, List<Template> components) {
		Map<String, String> wanted = new LinkedHashMap<>();
		for (JsonNode name : index.body().path("composed_of")) {
			components.stream()
				.filter((component) -> component.name().equals(name.asString()))
				.forEach((component) -> wanted.putAll(dynamicSettings(component.body())));
		}
		wanted.putAll(dynamicSettings(index.body()));
		if (wanted.isEmpty()) {
			return;
		}
		List<String> patterns = new ArrayList<>();
		index.body().path("index_patterns").forEach((pattern) -> patterns.add(pattern.asString()));
		JsonNode current = perform(new Request("GET",
				"/" + String.join(",", patterns) + "/_settings/"
						+ String.join(",", DYNAMIC.stream().map((key) -> "index." + key).toList())
						+ "?flat_settings=true&ignore_unavailable=true&allow_no_indices=true"));
		current.properties().forEach((entry) -> {
			JsonNode has = entry.getValue().path("settings");
			Map<String, String> changes = new LinkedHashMap<>();
			Map<String, String> was = new LinkedHashMap<>();
			wanted.forEach((key, value) -> {
				JsonNode setting = has.path("index." + key);
				String actual = setting.isMissingNode() ? DEFAULTS.get(key) : setting.asString();
				if (!value.equals(actual)) {
					changes.put(key, value);
					was.put(key, actual);
				}
			});
			if (!changes.isEmpty()) {
				Request put = new Request("PUT", "/" + entry.getKey() + "/_settings");
				put.setJsonEntity(this.json.writeValueAsString(Map.of("index", changes)));
				perform(put);
				logger.info("Index {} now has {} (was {})", entry.getKey(), changes, was);
			}
		});
	}

	private static final List<String> DYNAMIC = List.of("auto_expand_replicas", "number_of_replicas",
			"refresh_interval");

	/**
	 * What an index without the setting has, as far as comparing goes: no auto-expansion.
	 * An index without a refresh interval or replicas count of its own is put the wanted
	 * one.
	 */
	private static final Map<String, String> DEFAULTS = Map.of("auto_expand_replicas", "false");

	private static Map<String, String> dynamicSettings(JsonNode template) {
		Map<String, String> settings = new LinkedHashMap<>();
		JsonNode index = template.path("template").path("settings").path("index");
		for (String key : DYNAMIC) {
			if (index.has(key)) {
				settings.put(key, index.get(key).asString());
			}
		}
		return settings;
	}

	private JsonNode perform(Request request) {
		if (!(this.client._transport() instanceof Rest5ClientTransport transport)) {
			throw new IllegalStateException("index settings are compared through the REST 5 client");
		}
		try {
			Response response = transport.restClient().performRequest(request);
			try (InputStream in = response.getEntity().getContent()) {
				JsonNode answer = this.json.readTree(in);
				if (response.getStatusCode() >= 300) {
					throw new IllegalStateException(request.getMethod() + " " + request.getEndpoint() + " answered "
							+ response.getStatusCode() + ": " + answer.path("error").path("reason").asString(""));
				}
				return answer;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
			return installed(template.version(), template.meta());
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

	private @Nullable Installed installedIndexTemplate(String name) {
		try {
			var templates = this.client.indices().getIndexTemplate((get) -> get.name(name)).indexTemplates();
			if (templates.isEmpty()) {
				return null;
			}
			var template = templates.get(0).indexTemplate();
			return installed(template.version(), template.meta());
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

	private static Installed installed(@Nullable Long version, @Nullable Map<String, JsonData> meta) {
		JsonData analysis = (meta != null) ? meta.get("analysis") : null;
		JsonData fingerprint = (meta != null) ? meta.get(FINGERPRINT) : null;
		return new Installed(versionOrZero(version), (analysis != null) ? analysis.to(String.class) : null,
				(fingerprint != null) ? fingerprint.to(String.class) : null);
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
				.replace("{{routingPartitionSize}}", Integer.toString(this.settings.partitionSize()))
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
			withReplicas(body, this.settings.replicaSettings());
			if (analysis != null) {
				((ObjectNode) body).withObject("_meta").put("analysis", analysis);
			}
			String fingerprint = fingerprint(this.json.writeValueAsString(body));
			((ObjectNode) body).withObject("_meta").put(FINGERPRINT, fingerprint);
			text = this.json.writeValueAsString(body);
			return new Template(name, body.path("version").asLong(0), body, text, analysis, fingerprint);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static final String FINGERPRINT = "fingerprint";

	private static final String REPLICAS = "{{replicas}}";

	/**
	 * Puts the replica settings where a template says {@code "auto_expand_replicas":
	 * "{{replicas}}"}: a range, or no expansion and a number.
	 */
	static void withReplicas(JsonNode node, Map<String, String> replicas) {
		if (node instanceof ObjectNode object && REPLICAS.equals(object.path("auto_expand_replicas").asString(""))) {
			object.remove("auto_expand_replicas");
			replicas.forEach(object::put);
		}
		for (JsonNode child : node) {
			withReplicas(child, replicas);
		}
	}

	static String fingerprint(String rendered) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
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

	private record Installed(long version, @Nullable String analysis, @Nullable String fingerprint) {

	}

	private record Template(String name, long version, JsonNode body, String text, @Nullable String analysis,
			String fingerprint) {

		StringReader reader() {
			return new StringReader(this.text);
		}

	}

}
