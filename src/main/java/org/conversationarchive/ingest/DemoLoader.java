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
import org.conversationarchive.flows.Flow;
import org.conversationarchive.flows.Flows;
import org.conversationarchive.generator.ConversationGenerator;
import org.conversationarchive.generator.FlowGraph;
import org.conversationarchive.media.ConversationMedia;
import org.conversationarchive.security.CurrentOrg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads generated conversations into an empty archive, in the background once the service
 * is up, so a first look at the embedded default has something to search, with a few
 * recordings and artifacts to play and open ({@link DemoMedia}), and the graphs of their
 * flows, which their messages name the nodes of. Nothing of it lies after the time it is
 * loaded.
 * <p>
 * Loaded once: an archive that has conversations gets nothing (a restart loads nothing).
 * Instances that start together on an empty archive may each load it; they write the same
 * conversations and files under the same ids, so the archive ends up as if one had.
 * <p>
 * Then, loaded or not, it says so ({@link DemoLoaded}): what writes into the archive
 * after it (the demo's live conversations) waits for that, or the archive would not be
 * empty when it looks.
 */
@Component
class DemoLoader {

	private static final Logger logger = LoggerFactory.getLogger(DemoLoader.class);

	static final long SEED = 20261122L;

	private final DemoSettings settings;

	private final ElasticsearchMode mode;

	private final ConversationWriter writer;

	private final IngestSettings ingest;

	private final ConversationMedia media;

	private final ApplicationEventPublisher events;

	private final Flows flows;

	DemoLoader(DemoSettings settings, ElasticsearchMode mode, ConversationWriter writer, IngestSettings ingest,
			ConversationMedia media, ApplicationEventPublisher events, Flows flows) {
		this.flows = flows;
		this.settings = settings;
		this.mode = mode;
		this.writer = writer;
		this.ingest = ingest;
		this.media = media;
		this.events = events;
	}

	boolean enabled() {
		return (this.settings.enabled() != null) ? this.settings.enabled() : this.mode.embedded();
	}

	@EventListener(ApplicationReadyEvent.class)
	void loadWhenEmpty() {
		if (enabled()) {
			Thread.ofVirtual().name("demo-loader").start(() -> {
				try {
					this.events.publishEvent(new DemoLoaded(load()));
				}
				catch (IOException | RuntimeException ex) {
					logger.warn("Could not load the demo conversations: {}", ex.toString());
				}
			});
		}
	}

	/**
	 * The demo's conversations as loaded at a time.
	 * @param settings how many, over how many days
	 * @param to the time they are loaded: they start before it, and nothing of them lies
	 * after it (an email thread started near it would otherwise go on for days after it)
	 * @return their generator
	 */
	static ConversationGenerator generator(DemoSettings settings, Instant to) {
		return new ConversationGenerator(SEED,
				ConversationGenerator.Options.of(settings.conversations())
					.withRange(to.minus(Duration.ofDays(settings.days())), to)
					.withUntil(to));
	}

	/**
	 * Loads the demo conversations into the default org if it has none.
	 * @return how many were loaded
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	long load() throws IOException {
		// Whether or not the conversations are loaded: an archive loaded before flows
		// existed gets their graphs too, and publishing them again changes nothing.
		for (FlowGraph graph : ConversationGenerator.flowGraphs()) {
			this.flows.publish(CurrentOrg.DEFAULT, graph.id(), graph.name(), graph.version(),
					graph.nodes().stream().map((node) -> new Flow.Node(node.id(), node.label(), node.kind())).toList(),
					graph.edges().stream().map((edge) -> new Flow.Edge(edge.from(), edge.to(), edge.label())).toList());
		}
		if (!this.writer.isEmpty(CurrentOrg.DEFAULT)) {
			return 0;
		}
		ConversationGenerator generator = generator(this.settings, Instant.now().truncatedTo(ChronoUnit.HOURS));
		long loaded = 0;
		List<Conversation> batch = new ArrayList<>(this.ingest.batchSize());
		Set<String> written = new HashSet<>();
		DemoMedia media = new DemoMedia();
		while (generator.hasNext()) {
			Conversation conversation = generator.next();
			media.consider(conversation);
			batch.add(conversation);
			if (batch.size() == this.ingest.batchSize() || !generator.hasNext()) {
				loaded += this.writer.upsert(CurrentOrg.DEFAULT, batch, written)
					.stream()
					.filter(Written::stored)
					.count();
				batch.clear();
			}
		}
		this.writer.refresh(written);
		long started = System.nanoTime();
		int files = media.attach(this.media, CurrentOrg.DEFAULT);
		logger.info(
				"Loaded {} demo conversations into the empty archive (ARCHIVE_DEMO_ENABLED=false turns this off), "
						+ "then {} files in {} ms: recordings on {}, artifacts on {}",
				loaded, files, (System.nanoTime() - started) / 1_000_000, media.recorded(), media.withArtifacts());
		return loaded;
	}

}
