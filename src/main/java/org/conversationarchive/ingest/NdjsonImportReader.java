package org.conversationarchive.ingest;

import java.io.InputStream;

import org.jspecify.annotations.Nullable;

import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import org.springframework.core.io.Resource;

/**
 * Reads an NDJSON file of conversations (the bulk API's format) a line at a time. On a
 * restart it skips the lines of the chunks already committed.
 */
class NdjsonImportReader extends AbstractItemCountingItemStreamItemReader<ImportRecord> {

	private final Resource file;

	private final ConversationParser parser;

	private final long maxLineBytes;

	private @Nullable InputStream in;

	private @Nullable NdjsonLines lines;

	NdjsonImportReader(Resource file, ConversationParser parser, long maxLineBytes) {
		this.file = file;
		this.parser = parser;
		this.maxLineBytes = maxLineBytes;
		setName("ndjson");
	}

	@Override
	protected @Nullable ImportRecord doRead() throws Exception {
		NdjsonLines.Line line;
		while ((line = this.lines.next()) != null) {
			if (!line.blank()) {
				return ImportRecord.of(line.number(), this.parser.parse(line));
			}
		}
		return null;
	}

	@Override
	protected void doOpen() throws Exception {
		this.in = this.file.getInputStream();
		this.lines = new NdjsonLines(this.in, this.maxLineBytes);
	}

	@Override
	protected void doClose() throws Exception {
		if (this.in != null) {
			this.in.close();
		}
	}

}
