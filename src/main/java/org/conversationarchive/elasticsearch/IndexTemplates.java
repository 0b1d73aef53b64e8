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
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Installs the component and index templates of {@code index-templates/} idempotently: a
 * template is written only when the cluster lacks it or holds an older version. When a
 * component template with mappings changes, its new mappings are also put on the existing
 * indices that use it, so that fields added in a new version work on old indices too (a
 * change that is not additive fails the start, which is the point).
 */
public class IndexTemplates {

	private static final Logger logger = LoggerFactory.getLogger(IndexTemplates.class);

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final ElasticsearchSettings settings;

	private final ResourcePatternResolver resources;

	private final JsonMapper json;

	private final String location;

	IndexTemplates(ElasticsearchClient client, ArchiveIndices indices, ElasticsearchSettings settings,
			ResourcePatternResolver resources, JsonMapper json, String location) {
		this.location = location;
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
			Long installed = installedComponentVersion(component.name());
			if (installed == null || installed < component.version()) {
				call(() -> this.client.cluster()
					.putComponentTemplate((put) -> put.name(component.name()).withJson(component.reader())));
				written.add(component.name());
				if (installed != null && component.body().path("template").has("mappings")) {
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
		call(() -> this.client.indices()
			.putMapping((put) -> put.index(patterns)
				.allowNoIndices(true)
				.ignoreUnavailable(true)
				.withJson(new StringReader(mappings))));
	}

	private @Nullable Long installedComponentVersion(String name) {
		try {
			var templates = this.client.cluster().getComponentTemplate((get) -> get.name(name)).componentTemplates();
			return templates.isEmpty() ? null : versionOrZero(templates.get(0).componentTemplate().version());
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
			JsonNode body = this.json.readTree(text);
			return new Template(name, body.path("version").asLong(0), body, text);
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

	private record Template(String name, long version, JsonNode body, String text) {

		StringReader reader() {
			return new StringReader(this.text);
		}

	}

}
