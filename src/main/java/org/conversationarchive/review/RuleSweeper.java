package org.conversationarchive.review;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import co.elastic.clients.elasticsearch._types.ErrorCause;
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
 * <p>
 * A rule whose look fails (a filter Elasticsearch refuses, a flag that cannot be written,
 * a rule saved by a newer version of the service) keeps where it had looked through
 * ({@link SweepLease}) and looks at its whole window again next time; the other rules, of
 * its org and of the others, go on as if it were not there.
 */
@Component
class RuleSweeper implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RuleSweeper.class);

	/** Conversations flagged side by side: each is a read and a conditional write. */
	private static final int PARALLEL = 8;

	/** How often a rule that goes on failing is told in the log again. */
	private static final Duration WARN_AGAIN = Duration.ofMinutes(5);

	private final Rules rules;

	private final SweepLease lease;

	private final ConversationQueries queries;

	private final ConversationSearches searches;

	private final ConversationFlags flags;

	private final ApplicationEventPublisher events;

	private final ReviewSettings settings;

	private final JsonMapper json;

	private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

	/** The failing rules, and when each was last told in the log. */
	private final Map<String, Instant> warned = new ConcurrentHashMap<>();

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
			Instant swept = this.lease.checkedThrough();
			Map<String, Instant> behind = this.lease.behind();
			Map<String, Instant> checked = new HashMap<>();
			Failures failures = new Failures();
			Map<String, List<Look>> byOrg = new LinkedHashMap<>();
			for (Rules.OrgRule each : this.rules.enabled()) {
				Instant through = behind.getOrDefault(each.id(), (swept != null) ? swept : now);
				checked.put(each.id(), through);
				Rule rule = each.rule();
				if (rule == null) {
					failures.add(each.org(), each.id(), "it could not be read (" + each.unreadable() + ")");
					continue;
				}
				List<Look> looks = byOrg.computeIfAbsent(each.org(), (org) -> new ArrayList<>());
				Instant from = through.minus(this.settings.overlap());
				looks.add(new Look(rule, from, false));
				if (rule.actions().tag() != null) {
					looks.add(new Look(rule, from, true));
				}
			}
			for (Map.Entry<String, List<Look>> org : byOrg.entrySet()) {
				try {
					sweep(org.getKey(), org.getValue(), now, failures);
				}
				catch (IOException | RuntimeException ex) {
					failures.add(org.getKey(), ids(org.getValue()), ex.toString());
				}
			}
			Map<String, Instant> failed = new HashMap<>();
			List<String> caughtUp = new ArrayList<>();
			checked.forEach((ruleId, through) -> {
				if (failures.has(ruleId)) {
					if (!behind.containsKey(ruleId)) {
						failed.put(ruleId, through);
					}
				}
				else if (behind.containsKey(ruleId)) {
					caughtUp.add(ruleId);
				}
			});
			this.lease.checked(now, failed, caughtUp);
			// Told again when they fail again: those that looked, and those no longer on.
			Set<String> recovered = new TreeSet<>();
			this.warned.keySet().removeIf((ruleId) -> {
				boolean looked = checked.containsKey(ruleId) && !failures.has(ruleId);
				if (looked) {
					recovered.add(ruleId);
				}
				return looked || !checked.containsKey(ruleId);
			});
			if (!recovered.isEmpty()) {
				logger.info("Review rule(s) {} look at the latest writes again", String.join(", ", recovered));
			}
		}
		catch (RuntimeException ex) {
			// The database: not recorded as looked at, the next look covers this one's
			// window again.
			logger.warn("Review rules could not look at the latest writes ({}); they will again shortly",
					ex.toString());
		}
	}

	/**
	 * Flags what an org's rules find among the conversations written in their windows,
	 * until none is left to flag. A rule that tags also looks for the conversations it
	 * flagged whose tag a client's later write replaced, and tags them again: its tag
	 * holds as long as its flag. A rule whose search or flags fail is left out of the
	 * rest of the look and recorded as failed; the others go on.
	 */
	private void sweep(String org, List<Look> looks, Instant to, Failures failures) throws IOException {
		List<Look> open = looks;
		while (!open.isEmpty()) {
			List<Look> searched = new ArrayList<>(open.size());
			List<Consumer<SearchRequestBody.Builder>> searches = new ArrayList<>(open.size());
			for (Look look : open) {
				Query query;
				try {
					query = look.retag() ? untagged(org, look.rule(), look.from(), to)
							: written(org, look.rule(), look.from(), to);
				}
				catch (IOException | RuntimeException ex) {
					failures.add(org, look.rule().id(), ex.toString());
					continue;
				}
				searched.add(look);
				searches.add((search) -> search.query(query)
					.size(this.settings.batch())
					.trackTotalHits((track) -> track.enabled(false))
					.source((source) -> source.filter((filter) -> filter.includes("id")))
					.sort((sort) -> sort.field((field) -> field.field("updatedAt").order(SortOrder.Asc))));
			}
			if (searched.isEmpty()) {
				return;
			}
			MsearchResponse<Found> response;
			try {
				response = this.searches.searchEach(org, searches, Found.class);
			}
			catch (IOException | RuntimeException ex) {
				failures.add(org, ids(searched), ex.toString());
				return;
			}
			Map<String, Todo> todo = new LinkedHashMap<>();
			List<Look> full = new ArrayList<>();
			for (int i = 0; i < searched.size(); i++) {
				MultiSearchResponseItem<Found> item = response.responses().get(i);
				Look look = searched.get(i);
				if (item.isFailure()) {
					ErrorCause error = item.failure().error();
					// The root cause says why ("all shards failed" does not).
					ErrorCause cause = error.rootCause().isEmpty() ? error : error.rootCause().get(0);
					failures.add(org, look.rule().id(),
							"Elasticsearch refused its search: " + cause.type() + ": " + cause.reason());
					continue;
				}
				List<Hit<Found>> hits = item.result().hits().hits();
				for (Hit<Found> hit : hits) {
					if (hit.source() != null && hit.source().id() != null) {
						Todo each = todo.computeIfAbsent(hit.source().id(), (id) -> new Todo());
						(look.retag() ? each.retags() : each.rules()).add(look.rule());
					}
				}
				if (hits.size() >= this.settings.batch()) {
					full.add(look);
				}
			}
			flag(org, todo, failures);
			if (!todo.isEmpty()) {
				try {
					// What was flagged is searchable as such before the rules look again.
					this.flags.refresh();
				}
				catch (IOException | RuntimeException ex) {
					// The rules with more to flag would look at it again unrefreshed.
					failures.add(org, ids(full), ex.toString());
					return;
				}
			}
			// The rest of a full page next.
			open = full.stream().filter((look) -> !failures.has(look.rule().id())).toList();
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
	 * What a rule finds among the conversations written in a window since it was switched
	 * on, and never flagged.
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
	private void flag(String org, Map<String, Todo> todo, Failures failures) throws IOException {
		Semaphore room = new Semaphore(PARALLEL);
		List<Future<?>> flagged = new ArrayList<>(todo.size());
		for (Map.Entry<String, Todo> match : todo.entrySet()) {
			room.acquireUninterruptibly();
			flagged.add(this.workers.submit(() -> {
				try {
					flag(org, match.getKey(), match.getValue(), failures);
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

	/**
	 * Flags a conversation for every rule that found it in one write; when that fails,
	 * rule by rule, so that a write that fails for one rule fails that rule only.
	 */
	private void flag(String org, String conversationId, Todo todo, Failures failures) {
		try {
			flag(org, conversationId, todo.rules(), todo.retags());
			return;
		}
		catch (IOException | RuntimeException ex) {
			if (todo.rules().size() + todo.retags().size() == 1) {
				Rule only = todo.rules().isEmpty() ? todo.retags().get(0) : todo.rules().get(0);
				failures.add(org, only.id(), "its flag could not be written: " + ex);
				return;
			}
		}
		for (Rule rule : todo.rules()) {
			try {
				flag(org, conversationId, List.of(rule), List.of());
			}
			catch (IOException | RuntimeException ex) {
				failures.add(org, rule.id(), "its flag could not be written: " + ex);
			}
		}
		for (Rule rule : todo.retags()) {
			try {
				flag(org, conversationId, List.of(), List.of(rule));
			}
			catch (IOException | RuntimeException ex) {
				failures.add(org, rule.id(), "its tag could not be written: " + ex);
			}
		}
	}

	private void flag(String org, String conversationId, List<Rule> rules, List<Rule> retags) throws IOException {
		Instant at = Instant.now();
		List<Flag> flags = new ArrayList<>(rules.size());
		Map<String, String> tags = new LinkedHashMap<>();
		for (Rule rule : retags) {
			tags.put(rule.actions().tag().key(), rule.actions().tag().value());
		}
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

	private static List<String> ids(List<Look> looks) {
		return looks.stream().map((look) -> look.rule().id()).distinct().toList();
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
	 * its tag, among the conversations written since {@code from}.
	 */
	record Look(Rule rule, Instant from, boolean retag) {
	}

	/**
	 * What to do to one conversation: the rules that flag it, those whose tag it gets
	 * again.
	 */
	record Todo(List<Rule> rules, List<Rule> retags) {

		Todo() {
			this(new ArrayList<>(), new ArrayList<>());
		}

	}

	/**
	 * The rules whose look failed, this look: they look at their window again next time.
	 * Told in the log when a rule starts failing, and again every {@link #WARN_AGAIN}
	 * while it goes on failing, not every second.
	 */
	private final class Failures {

		private final Set<String> failed = ConcurrentHashMap.newKeySet();

		void add(String org, String ruleId, String why) {
			add(org, List.of(ruleId), why);
		}

		/**
		 * Several rules of an org that failed the same way (their org's search): one line
		 * in the log for them all.
		 */
		void add(String org, Collection<String> ruleIds, String why) {
			Instant now = Instant.now();
			Set<String> told = new TreeSet<>();
			for (String ruleId : ruleIds) {
				if (!this.failed.add(ruleId)) {
					continue;
				}
				Instant last = RuleSweeper.this.warned.get(ruleId);
				if (last == null || last.plus(WARN_AGAIN).isBefore(now)) {
					RuleSweeper.this.warned.put(ruleId, now);
					told.add(ruleId);
				}
			}
			if (!told.isEmpty()) {
				logger.warn(
						"Review rule(s) {} of org {} could not look at the latest writes: {}; "
								+ "they will look at them again, the other rules go on",
						String.join(", ", told), org, why);
			}
			else {
				logger.debug("Review rule(s) {} of org {} could not look at the latest writes: {}", ruleIds, org, why);
			}
		}

		boolean has(String ruleId) {
			return this.failed.contains(ruleId);
		}

	}

	/**
	 * The id of a conversation found.
	 */
	record Found(@Nullable String id) {
	}

}
