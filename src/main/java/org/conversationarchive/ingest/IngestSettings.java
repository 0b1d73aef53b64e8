package org.conversationarchive.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits and pace of ingest (the contact-count upkeep's pace, under the same prefix, is
 * the conversation module's).
 *
 * @param batchSize conversations sent to Elasticsearch in one bulk request
 * @param maxLineSize largest NDJSON line (one conversation) the bulk API takes
 * @param maxTextLength longest message text, reason, summary or analysis, in characters
 * @param maxFieldLength longest other string (ids, names, tag values), in characters
 * @param maxMessages most messages in one conversation
 * @param parallelBatches batches of one bulk request written at the same time
 */
@ConfigurationProperties("archive.ingest")
public record IngestSettings(@DefaultValue("500") int batchSize, @DefaultValue("10MB") DataSize maxLineSize,
		@DefaultValue("100000") int maxTextLength, @DefaultValue("1024") int maxFieldLength,
		@DefaultValue("50000") int maxMessages, @DefaultValue("2") int parallelBatches) {
}
