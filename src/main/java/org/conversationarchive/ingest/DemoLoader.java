package org.conversationarchive.ingest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.ConversationWriter;
import org.conversationarchive.conversation.Written;
import org.conversationarchive.elasticsearch.ElasticsearchMode;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.security.CurrentOrg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads generated conversations into an empty archive, in the background once the service
 * is up, so a first look at the embedded default has something to search.
 */
@Component
class DemoLoader {

	private static final Logger logger = LoggerFactory.getLogger(DemoLoader.class);

	static final long SEED = 20261122L;

	private final DemoSettings settings;

	private final ElasticsearchMode mode;

	private final ConversationWriter writer;

	private final IngestSettings ingest;

	DemoLoader(DemoSettings settings, ElasticsearchMode mode, ConversationWriter writer, IngestSettings ingest) {
		this.settings = settings;
		this.mode = mode;
		this.writer = writer;
		this.ingest = ingest;
	}

	boolean enabled() {
		return (this.settings.enabled() != null) ? this.settings.enabled() : this.mode.embedded();
	}

	@EventListener(ApplicationReadyEvent.class)
	void loadWhenEmpty() {
		if (enabled()) {
			Thread.ofVirtual().name("demo-loader").start(() -> {
				try {
					load();
				}
				catch (IOException | RuntimeException ex) {
					logger.warn("Could not load the demo conversations: {}", ex.toString());
				}
			});
		}
	}

	/**
	 * Loads the demo conversations into the default org if it has none.
	 * @return how many were loaded
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	long load() throws IOException {
		if (!this.writer.isEmpty(CurrentOrg.DEFAULT)) {
			return 0;
		}
		Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
		// Nothing in the future: an email thread started near the end of the range
		// would otherwise go on for days after it.
		ConversationGenerator generator = new ConversationGenerator(SEED,
				ConversationGenerator.Options.of(this.settings.conversations())
					.withRange(to.minus(Duration.ofDays(this.settings.days())), to)
					.withUntil(to));
		long loaded = 0;
		List<Conversation> batch = new ArrayList<>(this.ingest.batchSize());
		Set<String> written = new HashSet<>();
		while (generator.hasNext()) {
			batch.add(generator.next());
			if (batch.size() == this.ingest.batchSize() || !generator.hasNext()) {
				loaded += this.writer.upsert(CurrentOrg.DEFAULT, batch, written)
					.stream()
					.filter(Written::stored)
					.count();
				batch.clear();
			}
		}
		this.writer.refresh(written);
		logger.info("Loaded {} demo conversations into the empty archive (ARCHIVE_DEMO_ENABLED=false turns this off)",
				loaded);
		return loaded;
	}

}
