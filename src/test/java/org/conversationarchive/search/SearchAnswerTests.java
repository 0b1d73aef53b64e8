package org.conversationarchive.search;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a page reads of Elasticsearch's answer includes whether the answer is whole.
 */
class SearchAnswerTests {

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void anAnswerSaysWhetherEveryShardAnswered() {
		SearchAnswer partial = SearchAnswer.read(this.json, """
				{"timed_out": false, "_shards": {"failed": 2},
				 "hits": {"total": {"value": 3}, "hits": [{"_source": {"id": "a"}, "sort": [1, "a"]}]}}"""
			.getBytes(StandardCharsets.UTF_8));
		assertThat(partial.failedShards()).isEqualTo(2);
		assertThat(partial.timedOut()).isFalse();
		assertThat(partial.total(0)).isEqualTo(3);
		assertThat(partial.hits()).hasSize(1);

		SearchAnswer late = SearchAnswer.read(this.json,
				"{\"timed_out\": true, \"hits\": {\"total\": {\"value\": 0}}}".getBytes(StandardCharsets.UTF_8));
		assertThat(late.timedOut()).isTrue();
		assertThat(late.failedShards()).isZero();
	}

	@Test
	void theRequestAsksForWhatSaysWhetherTheAnswerIsWhole() {
		assertThat(SearchAnswer.FILTER_PATH.split(",")).contains("timed_out", "_shards.failed");
	}

}
