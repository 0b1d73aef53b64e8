package org.conversationarchive.review;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.MsearchResponse;
import co.elastic.clients.elasticsearch.core.msearch.MultiSearchResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.search.SearchRequestBody;
import org.conversationarchive.conversation.Conversation.Flag;
import org.conversationarchive.conversation.ConversationFlags;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.search.Filter;
import org.conversationarchive.system.Futures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the enabled rules on what was written: every write stamps its conversation's
 * {@code updatedAt}, and every {@code archive.review.sweep-interval} one instance (the
 * one holding the lease) searches, rule by rule, the conversations stamped since it last
 * looked (less an overlap, for writes not yet searchable then) that the rule's filter
 * finds — the table's own query — and that the rule never flagged. So a rule flags
 * exactly what the table would show for its filter, within seconds of the write, once per
 * conversation, whichever instance took the write; a later write (an append) that makes a
 * conversation match is found the same way. Nothing runs on the write path itself.
 */
@Component
class RuleSweeper implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RuleSweeper.class);

	/** Conversations flagged side by side: each is a read and a conditional write. */
	private static final int PARALLEL = 8;

	private final Rules rules;

	private final SweepLease lease;

	private final ConversationQueries queries;

	private final ConversationSearches searches;

	private final ConversationFlags flags;

	private final ApplicationEventPublisher events;

	private final ReviewSettings settings;

	private final JsonMapper json;

	private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

	private volatile boolean running;

	RuleSweeper(Rules rules, SweepLease lease, ConversationQueries queries, ConversationSearches searches,
			ConversationFlags flags, ApplicationEventPublisher events, ReviewSettings settings, JsonMapper json) {
		this.json = json;
		this.rules = rules;
		this.lease = lease;
		this.queries = queries;
		this.searches = searches;
		this.flags = flags;
		this.events = events;
		this.settings = settings;
	}

	@Scheduled(initialDelayString = "${archive.review.sweep-interval:1s}",
			fixedDelayString = "${archive.review.sweep-interval:1s}")
	void sweep() {
		if (!this.running) {
			return;
		}
		Instant now = Instant.now();
		try {
			if (!this.lease.hold(now)) {
				return;
			}
			Instant checked = this.lease.checkedThrough();
			Instant from = ((checked != null) ? checked : now).minus(this.settings.overlap());
			Map<String, List<Rule>> byOrg = new LinkedHashMap<>();
			this.rules.enabled()
				.forEach((each) -> byOrg.computeIfAbsent(each.org(), (org) -> new ArrayList<>()).add(each.rule()));
			for (Map.Entry<String, List<Rule>> org : byOrg.entrySet()) {
				sweep(org.getKey(), org.getValue(), from, now);
			}
			this.lease.checked(now);
		}
		catch (IOException | RuntimeException ex) {
			// Not recorded as looked at: the next look covers this one's window again.
			logger.warn("Review rules could not look at the latest writes ({}); they will again shortly",
					ex.toString());
		}
	}

	/**
	 * Flags what an org's rules find among the conversations written in a window, until
	 * none is left to flag. A rule that tags also looks for the conversations it flagged
	 * whose tag a client's later write replaced, and tags them again: its tag holds as
	 * long as its flag.
	 */
	private void sweep(String org, List<Rule> rules, Instant from, Instant to) throws IOException {
		List<Look> open = new ArrayList<>();
		for (Rule rule : rules) {
			open.add(new Look(rule, false));
			if (rule.actions().tag() != null) {
				open.add(new Look(rule, true));
			}
		}
		while (!open.isEmpty()) {
			List<Consumer<SearchRequestBody.Builder>> searches = new ArrayList<>(open.size());
			for (Look look : open) {
				Query query = look.retag() ? untagged(org, look.rule(), from, to) : written(org, look.rule(), from, to);
				searches.add((search) -> search.query(query)
					.size(this.settings.batch())
					.trackTotalHits((track) -> track.enabled(false))
					.source((source) -> source.filter((filter) -> filter.includes("id")))
					.sort((sort) -> sort.field((field) -> field.field("updatedAt").order(SortOrder.Asc))));
			}
			MsearchResponse<Found> response = this.searches.searchEach(org, searches, Found.class);
			Map<String, Todo> todo = new LinkedHashMap<>();
			List<Look> full = new ArrayList<>();
			for (int i = 0; i < open.size(); i++) {
				MultiSearchResponseItem<Found> item = response.responses().get(i);
				Look look = open.get(i);
				if (item.isFailure()) {
					throw new IOException(
							"rule " + look.rule().id() + " could not search: " + item.failure().error().reason());
				}
				List<Hit<Found>> hits = item.result().hits().hits();
				for (Hit<Found> hit : hits) {
					if (hit.source() != null && hit.source().id() != null) {
						Todo each = todo.computeIfAbsent(hit.source().id(), (id) -> new Todo());
						if (look.retag()) {
							Rule.TagAction tag = look.rule().actions().tag();
							each.tags().put(tag.key(), tag.value());
						}
						else {
							each.rules().add(look.rule());
						}
					}
				}
				if (hits.size() >= this.settings.batch()) {
					full.add(look);
				}
			}
			flag(org, todo);
			if (!todo.isEmpty()) {
				// What was flagged is searchable as such before the rules look again.
				this.flags.refresh();
			}
			// The rest of a full page next.
			open = full;
		}
	}

	/**
	 * What a rule flagged, written in a window, that lacks the rule's tag.
	 */
	private Query untagged(String org, Rule rule, Instant from, Instant to) throws IOException {
		Rule.TagAction tag = rule.actions().tag();
		Map<String, Object> pair = Map.of("key", tag.key(), "value", tag.value());
		Query tagged = this.queries.filter(org,
				Filter.read(this.json, this.json.writeValueAsBytes(Map.of("tags", Map.of("pairs", List.of(pair))))));
		return Query.of((query) -> query.bool((bool) -> bool
			.filter((flagged) -> flagged.term((term) -> term.field("flags.ruleId").value(rule.id())))
			.filter((range) -> range.range(
					(dates) -> dates.date((date) -> date.field("updatedAt").gte(from.toString()).lte(to.toString()))))
			.mustNot(tagged)));
	}

	/**
	 * What a rule finds among the conversations written in a window, and never flagged.
	 */
	private Query written(String org, Rule rule, Instant from, Instant to) throws IOException {
		Instant since = (rule.enabledAt() != null && rule.enabledAt().isAfter(from)) ? rule.enabledAt() : from;
		Query filter = this.queries.filter(org, rule.filter());
		return Query.of((query) -> query.bool((bool) -> bool.filter(filter)
			.filter((range) -> range.range(
					(dates) -> dates.date((date) -> date.field("updatedAt").gte(since.toString()).lte(to.toString()))))
			.mustNot((never) -> never.term((term) -> term.field("flagHistory.ruleId").value(rule.id())))));
	}

	/**
	 * Flags each conversation with the flags of every rule that found it, side by side.
	 */
	private void flag(String org, Map<String, Todo> todo) throws IOException {
		Semaphore room = new Semaphore(PARALLEL);
		List<Future<?>> flagged = new ArrayList<>(todo.size());
		for (Map.Entry<String, Todo> match : todo.entrySet()) {
			room.acquireUninterruptibly();
			flagged.add(this.workers.submit(() -> {
				try {
					flag(org, match.getKey(), match.getValue().rules(), match.getValue().tags());
				}
				finally {
					room.release();
				}
				return null;
			}));
		}
		for (Future<?> each : flagged) {
			Futures.await(each);
		}
	}

	private void flag(String org, String conversationId, List<Rule> rules, Map<String, String> retags)
			throws IOException {
		Instant at = Instant.now();
		List<Flag> flags = new ArrayList<>(rules.size());
		Map<String, String> tags = new LinkedHashMap<>(retags);
		for (Rule rule : rules) {
			flags.add(flagOf(rule, at));
			if (rule.actions().tag() != null) {
				tags.put(rule.actions().tag().key(), rule.actions().tag().value());
			}
		}
		try {
			if (!this.flags.flag(org, conversationId, flags, tags, false)) {
				return;
			}
		}
		catch (org.conversationarchive.system.NotFoundException ex) {
			return; // deleted meanwhile
		}
		for (Rule rule : rules) {
			if (rule.actions().notifies()) {
				this.events.publishEvent(new RuleFlagged(org, rule.id(), rule.name(), rule.owner(), conversationId,
						rule.actions().flag().reason(), rule.actions().flag().severity(), at));
			}
		}
	}

	static Flag flagOf(Rule rule, Instant at) {
		return new Flag(rule.actions().flag().reason(), FlagSource.RULE, rule.actions().flag().severity(), rule.id(),
				rule.name(), null, at);
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.lease.release();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * A search of one rule: what it flags, or ({@code retag}) what it flagged that lost
	 * its tag.
	 */
	record Look(Rule rule, boolean retag) {
	}

	/**
	 * What to do to one conversation: the rules that flag it, the tags it gets again.
	 */
	record Todo(List<Rule> rules, Map<String, String> tags) {

		Todo() {
			this(new ArrayList<>(), new LinkedHashMap<>());
		}

	}

	/**
	 * The id of a conversation found.
	 */
	record Found(@Nullable String id) {
	}

}
