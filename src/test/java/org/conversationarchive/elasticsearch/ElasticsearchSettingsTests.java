package org.conversationarchive.elasticsearch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The layout settings: replicas as a number or a range, the routing partition size
 * derived from the shards, and a clear refusal naming the property otherwise.
 */
class ElasticsearchSettingsTests {

	@Test
	void replicasAreARangeOrANumber() {
		assertThat(settings(1, "0-1", null).replicaSettings())
			.containsExactlyEntriesOf(Map.of("auto_expand_replicas", "0-1"));
		assertThat(settings(1, "0-all", null).replicaSettings())
			.containsExactlyEntriesOf(Map.of("auto_expand_replicas", "0-all"));
		assertThat(settings(1, " 2 ", null).replicaSettings())
			.containsExactly(Map.entry("auto_expand_replicas", "false"), Map.entry("number_of_replicas", "2"));
	}

	@Test
	void badReplicasNameTheProperty() {
		for (String bad : new String[] { "", "one", "-1", "2-1", "0-", "0-some", "1,2" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> settings(1, bad, null))
				.withMessageContaining("archive.elasticsearch.replicas")
				.withMessageContaining("ARCHIVE_ELASTICSEARCH_REPLICAS")
				.withMessageContaining("'" + bad + "'");
		}
	}

	@Test
	void anOrgSpreadsOverHalfTheShardsByDefault() {
		assertThat(settings(1, "0-1", null).partitionSize()).isOne();
		assertThat(settings(2, "0-1", null).partitionSize()).isOne();
		assertThat(settings(3, "0-1", null).partitionSize()).isEqualTo(2);
		assertThat(settings(4, "0-1", null).partitionSize()).isEqualTo(2);
		assertThat(settings(5, "0-1", null).partitionSize()).isEqualTo(3);
		assertThat(settings(12, "0-1", null).partitionSize()).isEqualTo(6);
		assertThat(settings(3, "0-1", 1).partitionSize()).isOne();
		assertThat(settings(12, "0-1", 11).partitionSize()).isEqualTo(11);
	}

	@Test
	void aPartitionSizeMustBeFewerThanTheShards() {
		assertThat(settings(1, "0-1", 1).partitionSize()).isOne();
		for (int[] bad : new int[][] { { 1, 2 }, { 3, 3 }, { 3, 4 }, { 3, 0 } }) {
			assertThatIllegalArgumentException().isThrownBy(() -> settings(bad[0], "0-1", bad[1]))
				.withMessageContaining("archive.elasticsearch.routing-partition-size")
				.withMessageContaining("ARCHIVE_ELASTICSEARCH_ROUTING_PARTITION_SIZE");
		}
		assertThatIllegalArgumentException().isThrownBy(() -> settings(0, "0-1", null))
			.withMessageContaining("archive.elasticsearch.shards");
	}

	@Test
	void boundFromTheEnvironmentWithDefaultsForOneNodeAndForACluster() {
		ElasticsearchSettings defaults = bind(Map.of());
		assertThat(defaults.replicas()).isEqualTo("0-1");
		assertThat(defaults.partitionSize()).isOne();

		ElasticsearchSettings cluster = bind(
				Map.of("archive.elasticsearch.shards", "6", "archive.elasticsearch.replicas", "1"));
		assertThat(cluster.partitionSize()).isEqualTo(3);
		assertThat(cluster.replicaSettings()).containsEntry("number_of_replicas", "1");
		assertThat(
				bind(Map.of("archive.elasticsearch.shards", "6", "archive.elasticsearch.routing-partition-size", "5"))
					.partitionSize())
			.isEqualTo(5);
	}

	@Test
	void aBadValueFailsTheBindingNamingTheProperty() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("archive.elasticsearch.replicas", "two")))
			.havingRootCause()
			.withMessageContaining("archive.elasticsearch.replicas")
			.withMessageContaining("'two'");
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(
					Map.of("archive.elasticsearch.shards", "3", "archive.elasticsearch.routing-partition-size", "3")))
			.havingRootCause()
			.withMessageContaining("archive.elasticsearch.routing-partition-size");
	}

	private static ElasticsearchSettings bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("archive.elasticsearch",
				ElasticsearchSettings.class);
	}

	private static ElasticsearchSettings settings(int shards, String replicas, @Nullable Integer partitionSize) {
		return new ElasticsearchSettings("archive", shards, replicas, partitionSize, Duration.ofSeconds(5),
				Duration.ofSeconds(60), new ElasticsearchSettings.Embedded(true, 9200, "512m", Path.of("es"), null,
						"nobody", Duration.ofMinutes(3)));
	}

}
