package org.conversationarchive.conversation;

import java.util.Map;

import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which yearly indices need a rebuild, and the names a rebuilt one is addressed by.
 */
class IndexRebuildsTests {

	@Test
	void anIndexWithoutTheTemplatesNewestAnalyzerNeedsARebuild() {
		assertThat(IndexRebuilds
			.needsRebuild(Map.of("index.number_of_shards", "1", "index.analysis.analyzer.transcript.type", "custom")))
			.isTrue();
		assertThat(IndexRebuilds.needsRebuild(Map.of("index.analysis.analyzer.archive_words.type", "custom",
				"index.analysis.analyzer.archive_words.tokenizer", "standard")))
			.isFalse();
	}

	@Test
	void aRebuiltIndexIsAddressedByItsYearlyName() {
		ArchiveIndices indices = new ArchiveIndices("archive");
		String rebuilt = indices.rebuiltConversations(2011, 1234L);
		assertThat(rebuilt).isEqualTo("archive-rebuilt-conversations-2011-1234");
		assertThat(rebuilt).doesNotStartWith(indices.conversations() + "-");
		assertThat(indices.addressed(rebuilt)).isEqualTo("archive-conversations-2011");
		assertThat(indices.addressed("archive-conversations-2011")).isEqualTo("archive-conversations-2011");
		assertThat(indices.addressed("archive-contacts")).isEqualTo("archive-contacts");
	}

}
