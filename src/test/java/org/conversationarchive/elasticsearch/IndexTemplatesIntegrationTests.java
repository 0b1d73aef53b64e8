package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch._types.mapping.TypeMapping;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestElasticsearch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The templates of {@code index-templates/} on the real engine: installed once, applied
 * to every yearly index, and carried onto existing indices when a new version adds a
 * field.
 */
@ArchiveIntegrationTest
class IndexTemplatesIntegrationTests {

	@Autowired
	ElasticsearchClient client;

	@Autowired
	ElasticsearchSettings settings;

	@Autowired
	JsonMapper json;

	final ResourcePatternResolver resources = new PathMatchingResourcePatternResolver();

	@Test
	void installsEachTemplateOnceThenNothing() {
		IndexTemplates templates = templates(freshIndices(), "classpath*:index-templates/");

		assertThat(templates.install()).hasSize(6);
		assertThat(templates.install()).isEmpty();
	}

	@Test
	void everyYearlyIndexGetsTheMappingsTheAliasAndRequiredRouting() throws IOException {
		ArchiveIndices indices = freshIndices();
		templates(indices, "classpath*:index-templates/").install();
		Instant started = Instant.parse("2025-03-01T10:00:00Z");
		String index = indices.conversationsFor(started);
		assertThat(index).isEqualTo(indices.prefix() + "-conversations-2025");

		this.client.index((doc) -> doc.index(index)
			.id("acme:c1")
			.routing("acme")
			.refresh(co.elastic.clients.elasticsearch._types.Refresh.True)
			.withJson(new StringReader("""
					{"org":"acme","id":"c1","platform":"voice","startedAt":"2025-03-01T10:00:00Z",
					 "tags":{"Call Reason":"billing","Language":["en","fr"]},"parameters":{"account":"A-1"},
					 "messages":[{"at":"2025-03-01T10:00:01Z","senderType":"user","text":"I want a Refund",
					   "data":"free-form","function":{"name":"lookup","arguments":"{\\"a\\":1}","result":{"ok":true}}}]}
					""")));

		long viaAlias = this.client
			.count((count) -> count.index(indices.conversations())
				.query((q) -> q.term((t) -> t.field("tags.Call Reason").value("billing"))))
			.count();
		assertThat(viaAlias).isEqualTo(1);

		TypeMapping mapping = this.client.indices().getMapping((get) -> get.index(index)).get(index).mappings();
		assertThat(mapping.routing().required()).isTrue();
		Property messages = mapping.properties().get("messages");
		assertThat(messages.isNested()).isTrue();
		Property text = messages.nested().properties().get("text");
		assertThat(text.text().indexOptions().jsonValue()).isEqualTo("offsets");
		assertThat(text.text().analyzer()).isEqualTo("archive_words");
		assertThat(mapping.properties().get("tags").isFlattened()).isTrue();
		assertThat(mapping.properties().get("parameters").isFlattened()).isTrue();

		assertThatExceptionOfType(ElasticsearchException.class).isThrownBy(() -> this.client.index(
				(doc) -> doc.index(index).id("acme:c2").withJson(new StringReader("{\"org\":\"acme\",\"id\":\"c2\"}"))))
			.withMessageContaining("routing");
	}

	@Test
	void aNewerMappingVersionReachesExistingIndices() throws IOException {
		ArchiveIndices indices = freshIndices();
		templates(indices, "classpath*:index-templates/").install();
		String index = indices.conversations(2024);
		this.client.indices().create((create) -> create.index(index));

		Path newer = TestElasticsearch.temporaryDirectory("index-templates-v2");
		try {
			Path source = Path.of("index-templates");
			FileSystemUtils.copyRecursively(source, newer);
			Path mappings = newer.resolve("component/conversations-mappings.json");
			@SuppressWarnings("unchecked")
			Map<String, Object> body = this.json.readValue(mappings.toFile(), Map.class);
			body.put("version", ((Number) body.get("version")).intValue() + 1);
			@SuppressWarnings("unchecked")
			Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) body
				.get("template")).get("mappings")).get("properties");
			properties.put("addedLater", Map.of("type", "keyword"));
			Files.writeString(mappings, this.json.writeValueAsString(body));

			assertThat(templates(indices, newer.toUri().toString()).install())
				.containsExactly(indices.prefix() + "-conversations-mappings");
		}
		finally {
			FileSystemUtils.deleteRecursively(newer);
		}

		TypeMapping mapping = this.client.indices().getMapping((get) -> get.index(index)).get(index).mappings();
		assertThat(mapping.properties()).containsKey("addedLater");
	}

	@Test
	@SuppressWarnings("unchecked")
	void anIndexOfAnOlderAnalysisTakesNewFieldsWithAnAnalyzerItHas() throws IOException {
		ArchiveIndices indices = freshIndices();
		String index = indices.conversations(2023);
		Path older = TestElasticsearch.temporaryDirectory("index-templates-older-analysis");
		try {
			// The templates as they were before the archive's own analyzers: one
			// transcript analyzer, no exact or stemmed fields.
			FileSystemUtils.copyRecursively(Path.of("index-templates"), older);
			Path mappings = older.resolve("component/conversations-mappings.json");
			Map<String, Object> body = this.json.readValue(mappings.toFile(), Map.class);
			body.put("version", ((Number) body.get("version")).intValue() - 1);
			Map<String, Object> template = (Map<String, Object>) body.get("template");
			template.put("settings", Map.of("analysis", Map.of("analyzer",
					Map.of("transcript",
							Map.of("type", "custom", "tokenizer", "standard", "filter", List.of("lowercase"))),
					"normalizer", Map.of("lowercase", Map.of("type", "custom", "filter", List.of("lowercase"))))));
			Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) template.get("mappings"))
				.get("properties");
			properties.remove("language");
			Map<String, Object> message = (Map<String, Object>) ((Map<String, Object>) properties.get("messages"))
				.get("properties");
			message.keySet().removeAll(List.of("stems", "offsetSeconds", "secondsToEnd"));
			message.put("text", Map.of("type", "text", "analyzer", "transcript", "index_options", "offsets"));
			Files.writeString(mappings, this.json.writeValueAsString(body));
			templates(indices, older.toUri().toString()).install();
			this.client.indices().create((create) -> create.index(index));
		}
		finally {
			FileSystemUtils.deleteRecursively(older);
		}

		assertThat(templates(indices, "classpath*:index-templates/").install())
			.contains(indices.prefix() + "-conversations-mappings");

		Map<String, Property> message = this.client.indices()
			.getMapping((get) -> get.index(index))
			.get(index)
			.mappings()
			.properties()
			.get("messages")
			.nested()
			.properties();
		assertThat(message.get("text").text().analyzer()).isEqualTo("transcript");
		assertThat(message.get("text").text().fields().get("exact").text().analyzer()).isEqualTo("transcript");
		assertThat(message.get("stems").object().properties().get("es").text().analyzer()).isEqualTo("transcript");
		// A document of today's shape is taken.
		this.client.index((doc) -> doc.index(index).id("acme:c1").routing("acme").withJson(new StringReader("""
				{"org":"acme","id":"c1","platform":"web","startedAt":"2023-03-01T10:00:00Z","language":"es",
				 "messages":[{"at":"2023-03-01T10:00:01Z","text":"Quiero un reembolso","offsetSeconds":1.0,
				   "stems":{"es":"Quiero un reembolso"}}]}
				""")));
	}

	@Test
	void aNewerIndexTemplateVersionPutsItsMappingsOnExistingIndices() throws IOException {
		ArchiveIndices indices = freshIndices();
		templates(indices, "classpath*:index-templates/").install();
		// No index of the template yet: nothing to put the mappings on.
		assertThat(installContactsTemplateWith(indices, 1, "notYet")).containsExactly(indices.prefix() + "-contacts");
		this.client.indices().create((create) -> create.index(indices.contacts()));

		assertThat(installContactsTemplateWith(indices, 2, "addedLater"))
			.containsExactly(indices.prefix() + "-contacts");

		TypeMapping mapping = this.client.indices()
			.getMapping((get) -> get.index(indices.contacts()))
			.get(indices.contacts())
			.mappings();
		assertThat(mapping.properties()).containsKey("addedLater");
	}

	@Test
	void changedSettingsPutTheTemplatesAgainAndReachExistingIndices() throws IOException {
		ArchiveIndices indices = freshIndices();
		templates(indices, "classpath*:index-templates/").install();
		String existing = indices.conversations(2024);
		this.client.indices().create((create) -> create.index(existing));
		this.client.indices().create((create) -> create.index(indices.contacts()));
		assertThat(dynamicSettings(existing)).containsEntry("index.auto_expand_replicas", "0-1")
			.containsEntry("index.refresh_interval", this.settings.refreshInterval().toMillis() + "ms");

		// Another start with other replicas, refresh interval and shards.
		ElasticsearchSettings changed = new ElasticsearchSettings(indices.prefix(), 3, "0", null, Duration.ofSeconds(2),
				this.settings.startupTimeout(), this.settings.embedded());
		assertThat(templates(indices, changed).install()).containsExactlyInAnyOrder(
				indices.prefix() + "-conversations-settings", indices.prefix() + "-contacts",
				indices.prefix() + "-views");
		// Instances started with the same settings find nothing to do.
		assertThat(templates(indices, changed).install()).isEmpty();

		// Replicas and refresh interval reach the existing indices...
		assertThat(dynamicSettings(existing)).containsEntry("index.auto_expand_replicas", "false")
			.containsEntry("index.number_of_replicas", "0")
			.containsEntry("index.refresh_interval", "2000ms");
		assertThat(dynamicSettings(indices.contacts())).containsEntry("index.auto_expand_replicas", "false")
			.containsEntry("index.number_of_replicas", "0");
		// ...which keep their shards; a new index has the new layout.
		String created = indices.conversations(2025);
		this.client.indices().create((create) -> create.index(created));
		var old = this.client.indices().getSettings((get) -> get.index(existing)).get(existing).settings().index();
		var fresh = this.client.indices().getSettings((get) -> get.index(created)).get(created).settings().index();
		assertThat(old.numberOfShards()).isEqualTo("1");
		assertThat(fresh.numberOfShards()).isEqualTo("3");
		assertThat(fresh.routingPartitionSize()).isEqualTo(2);
		assertThat(fresh.numberOfReplicas()).isEqualTo("0");

		// Back to the first settings: put again, and the indices follow.
		assertThat(templates(indices, "classpath*:index-templates/").install()).hasSize(3);
		assertThat(dynamicSettings(existing)).containsEntry("index.auto_expand_replicas", "0-1")
			.containsEntry("index.refresh_interval", this.settings.refreshInterval().toMillis() + "ms");
		assertThat(dynamicSettings(created)).containsEntry("index.auto_expand_replicas", "0-1");
	}

	private Map<String, String> dynamicSettings(String index) throws IOException {
		var request = new co.elastic.clients.transport.rest5_client.low_level.Request("GET",
				"/" + index + "/_settings?flat_settings=true");
		var transport = (co.elastic.clients.transport.rest5_client.Rest5ClientTransport) this.client._transport();
		try (var in = transport.restClient().performRequest(request).getEntity().getContent()) {
			Map<String, String> settings = new java.util.TreeMap<>();
			this.json.readTree(in)
				.path(index)
				.path("settings")
				.properties()
				.forEach((entry) -> settings.put(entry.getKey(),
						entry.getValue().isValueNode() ? entry.getValue().asString() : entry.getValue().toString()));
			return settings;
		}
	}

	private IndexTemplates templates(ArchiveIndices indices, ElasticsearchSettings settings) {
		return new IndexTemplates(this.client, indices, settings, this.resources, this.json,
				"classpath*:index-templates/");
	}

	private List<String> installContactsTemplateWith(ArchiveIndices indices, int versionsLater, String field)
			throws IOException {
		Path newer = TestElasticsearch.temporaryDirectory("index-templates-contacts");
		try {
			FileSystemUtils.copyRecursively(Path.of("index-templates"), newer);
			Path contacts = newer.resolve("index/contacts.json");
			@SuppressWarnings("unchecked")
			Map<String, Object> body = this.json.readValue(contacts.toFile(), Map.class);
			body.put("version", ((Number) body.get("version")).intValue() + versionsLater);
			@SuppressWarnings("unchecked")
			Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) body
				.get("template")).get("mappings")).get("properties");
			properties.put(field, Map.of("type", "boolean"));
			Files.writeString(contacts, this.json.writeValueAsString(body));
			return templates(indices, newer.toUri().toString()).install();
		}
		finally {
			FileSystemUtils.deleteRecursively(newer);
		}
	}

	private IndexTemplates templates(ArchiveIndices indices, String location) {
		return new IndexTemplates(this.client, indices, this.settings, this.resources, this.json, location);
	}

	private static ArchiveIndices freshIndices() {
		return new ArchiveIndices("t" + UUID.randomUUID().toString().substring(0, 8));
	}

}
