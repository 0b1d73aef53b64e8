package org.conversationarchive.elasticsearch;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.conversationarchive.OrgApi;
import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Conversations indices of three shards: an org's conversations (routed by org) spread
 * over two of them ({@code routing_partition_size}), and everything that passes the org
 * as routing still finds every one of them and nothing of another org: searches, counts,
 * facets, gets by id and a sliced export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=spread-test",
		"archive.elasticsearch.shards=3", "archive.exports.chunk-size=2" })
@Import(TestUsers.class)
class PartitionedLayoutIntegrationTests {

	static final Instant FROM = Instant.parse("2025-02-01T00:00:00Z");

	static final Instant TO = Instant.parse("2025-11-01T00:00:00Z");

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Autowired
	ElasticsearchClient client;

	@Autowired
	ArchiveIndices indices;

	OrgApi north;

	OrgApi south;

	@BeforeAll
	void twoOrgs() {
		this.north = new OrgApi(this.http, this.json, "spread-north");
		this.south = new OrgApi(this.http, this.json, "spread-south");
		this.north.bulk(OrgApi.generated(this.json, 11, 60, FROM, TO));
		this.south.bulk(OrgApi.generated(this.json, 12, 45, FROM, TO));
	}

	@Test
	void yearlyIndicesHaveThreeShardsAndSpreadEachOrgOverTwo() throws IOException {
		String index = this.indices.conversations(2025);
		var settings = this.client.indices().getSettings((get) -> get.index(index)).get(index).settings().index();
		assertThat(settings.numberOfShards()).isEqualTo("3");
		assertThat(settings.routingPartitionSize()).isEqualTo(2);

		for (String org : List.of("spread-north", "spread-south")) {
			List<Long> perShard = new ArrayList<>();
			for (int shard = 0; shard < 3; shard++) {
				int only = shard;
				perShard
					.add(this.client.count((count) -> count.index(index).preference("_shards:" + only).query(org(org)))
						.count());
			}
			assertThat(perShard.stream().filter((count) -> count > 0)).as("shards holding %s: %s", org, perShard)
				.hasSize(2);
			assertThat(perShard.stream().mapToLong(Long::longValue).sum())
				.isEqualTo(org.equals("spread-north") ? 60 : 45);
		}
	}

	@Test
	void searchesAndCountsOfAnOrgAreExact() throws IOException {
		assertThat(this.north.get("/api/v1/conversations?size=1").get("total").asLong()).isEqualTo(60);
		assertThat(this.south.get("/api/v1/conversations?size=1").get("total").asLong()).isEqualTo(45);
		for (String platform : List.of("voice", "web", "sms", "whatsapp")) {
			long expected = this.client.count((count) -> count.index(this.indices.conversations())
				.query((q) -> q.bool((b) -> b.filter(org("spread-north"))
					.filter((f) -> f.term((t) -> t.field("platform").value(platform))))))
				.count();
			JsonNode page = this.north.get("/api/v1/conversations?size=1&platform=" + platform);
			assertThat(page.get("total").asLong()).as(platform).isEqualTo(expected);
		}
		// Facets count every shard of the org: their buckets add up to the total.
		JsonNode facets = this.north.get("/api/v1/conversations?size=1").get("facets");
		long byPlatform = 0;
		for (JsonNode bucket : facets.get("platform")) {
			byPlatform += bucket.get("count").asLong();
		}
		assertThat(byPlatform).isEqualTo(60);
	}

	@Test
	void everyConversationIsFoundByIdAndOnlyByItsOrg() throws IOException {
		Set<String> northIds = ids("spread-north");
		Set<String> southIds = ids("spread-south");
		assertThat(northIds).hasSize(60);
		for (String id : northIds) {
			assertThat(this.north.get("/api/v1/conversations/" + id).get("id").asString()).isEqualTo(id);
		}
		for (String id : southIds) {
			assertThat(this.south.get("/api/v1/conversations/" + id).get("id").asString()).isEqualTo(id);
			if (!northIds.contains(id)) {
				assertThat(this.north.statusOf(HttpMethod.GET, "/api/v1/conversations/" + id, null)).isEqualTo(404);
			}
		}
	}

	@Test
	void aSlicedExportHoldsEveryConversationOfTheOrg() {
		// 60 rows in chunks of 2: read in slices of the point in time.
		JsonNode preview = this.north.post("/api/v1/exports?preview=true", "{}", 200);
		assertThat(preview.get("rowCount").asLong()).isEqualTo(60);
		String id = this.north.post("/api/v1/exports", "{\"columns\": [\"id\"]}", 202).get("id").asString();
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			job[0] = this.north.get("/api/v1/exports/" + id);
			assertThat(job[0].get("status").asString()).isNotEqualTo("failed");
			return job[0].get("status").asString().equals("completed");
		});
		assertThat(job[0].get("rowCount").asLong()).isEqualTo(60);
	}

	@Test
	void anIndexOfAnOlderLayoutKeepsItUntilRebuilt() throws IOException {
		// A year's index created before the archive ran with three shards.
		String yearly = this.indices.conversations(2024);
		this.client.indices()
			.create((create) -> create.index(yearly)
				.settings((settings) -> settings.numberOfShards("1").routingPartitionSize(1)));
		OrgApi east = new OrgApi(this.http, this.json, "spread-east");
		east.bulk(OrgApi.generated(this.json, 13, 20, Instant.parse("2024-02-01T00:00:00Z"),
				Instant.parse("2024-11-01T00:00:00Z")));
		assertThat(this.client.indices()
			.getSettings((get) -> get.index(yearly))
			.get(yearly)
			.settings()
			.index()
			.numberOfShards()).isEqualTo("1");

		String id = this.http.post()
			.uri("/api/v1/conversation-indices/rebuilds?year=2024")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get("items")
			.get(0)
			.get("id")
			.asString();
		JsonNode[] rebuild = new JsonNode[1];
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
			rebuild[0] = this.http.get()
				.uri("/api/v1/conversation-indices/rebuilds/" + id)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			assertThat(rebuild[0].get("status").asString()).isNotEqualTo("failed");
			return rebuild[0].get("status").asString().equals("completed");
		});

		// The rebuilt index has the template's layout, and the year reads whole.
		String target = rebuild[0].get("target").asString();
		var settings = this.client.indices().getSettings((get) -> get.index(target)).get(target).settings().index();
		assertThat(settings.numberOfShards()).isEqualTo("3");
		assertThat(settings.routingPartitionSize()).isEqualTo(2);
		var mapping = this.client.indices().getMapping((get) -> get.index(target)).get(target).mappings();
		assertThat(mapping.routing().required()).isTrue();
		assertThat(mapping.properties().get("messages").isNested()).isTrue();
		assertThat(east.get("/api/v1/conversations?size=1").get("total").asLong()).isEqualTo(20);
		Set<String> ids = ids("spread-east");
		assertThat(ids).hasSize(20);
		for (String each : ids) {
			assertThat(east.get("/api/v1/conversations/" + each).get("id").asString()).isEqualTo(each);
		}
	}

	private Set<String> ids(String org) throws IOException {
		Set<String> ids = new TreeSet<>();
		this.client
			.search((search) -> search.index(this.indices.conversations())
				.size(1000)
				.query(org(org))
				.source((s) -> s.filter((f) -> f.includes("id"))), Map.class)
			.hits()
			.hits()
			.forEach((hit) -> ids.add((String) hit.source().get("id")));
		return ids;
	}

	private static Query org(String org) {
		return Query.of((q) -> q.term((t) -> t.field("org").value(org)));
	}

}
