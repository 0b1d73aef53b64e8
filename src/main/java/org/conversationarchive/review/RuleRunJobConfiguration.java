package org.conversationarchive.review;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.conversation.ConversationFlags;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.system.NotFoundException;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The job behind a rule's run over history ({@link RuleRuns}): one step that takes the
 * next page of conversations after the position it recorded, acts on each, and records
 * the new position with the page, so a restart goes on from the last page done. Acting
 * twice on a conversation changes nothing (a rule flags once; a flag taken back is gone).
 * Runs over history do not notify: they would send one notification per conversation of
 * the past.
 */
@Configuration(proxyBeanMethods = false)
class RuleRunJobConfiguration {

	static final String JOB = "reviewRuleRun";

	private static final String STARTED_AT = "afterStartedAt";

	private static final String ID = "afterId";

	@Bean
	Job ruleRunJob(JobRepository jobs, PlatformTransactionManager transactions, RuleRuns runs, Rules rules,
			ConversationSearches searches, ConversationFlags flags, ReviewSettings settings) {
		Step step = new StepBuilder("ruleRun", jobs).tasklet((contribution, context) -> {
			String runId = (String) context.getStepContext().getJobParameters().get("runId");
			RuleRuns.Planned planned = runs.planned(runId);
			ExecutionContext position = contribution.getStepExecution().getExecutionContext();
			Work work = RuleRuns.REMOVE.equals(planned.kind()) ? removal(flags, planned)
					: application(runs, rules, flags, planned);
			List<Hit<RuleSweeper.Found>> hits = page(searches, planned.org(), work.query(), position, settings.batch());
			for (Hit<RuleSweeper.Found> hit : hits) {
				String id = (hit.source() != null) ? hit.source().id() : null;
				if (id != null) {
					try {
						work.act().on(id);
					}
					catch (NotFoundException ex) {
						// Deleted meanwhile.
					}
				}
			}
			if (!hits.isEmpty()) {
				List<FieldValue> last = hits.get(hits.size() - 1).sort();
				position.putLong(STARTED_AT, last.get(0).longValue());
				position.putString(ID, last.get(1).stringValue());
				runs.done(runId, hits.size());
			}
			if (hits.size() < settings.batch()) {
				flags.refresh();
				return RepeatStatus.FINISHED;
			}
			return RepeatStatus.CONTINUABLE;
		}, transactions).build();
		return new JobBuilder(JOB, jobs).start(step).build();
	}

	/**
	 * A {@code remove} run: only the rule's id is needed, so the rule may be gone
	 * (deleted, its flags taken back).
	 */
	private static Work removal(ConversationFlags flags, RuleRuns.Planned planned) {
		String ruleId = planned.ruleId();
		return new Work(RuleRuns.toRemove(planned.org(), ruleId), (id) -> flags.unflag(planned.org(), id,
				(flag) -> ruleId.equals(flag.ruleId()), "the rule's flags were taken back", planned.userId(), false));
	}

	/**
	 * An {@code apply} run: the rule as it is now.
	 */
	private static Work application(RuleRuns runs, Rules rules, ConversationFlags flags, RuleRuns.Planned planned)
			throws IOException {
		Rule rule = rules.find(planned.org(), planned.ruleId())
			.orElseThrow(() -> new IllegalStateException("rule '" + planned.ruleId() + "' was deleted"));
		Map<String, String> tags = (rule.actions().tag() != null)
				? Map.of(rule.actions().tag().key(), rule.actions().tag().value()) : Map.of();
		return new Work(runs.toApply(planned.org(), rule, planned.from(), planned.to()),
				(id) -> flags.flag(planned.org(), id, List.of(RuleSweeper.flagOf(rule, Instant.now())), tags, false));
	}

	private static List<Hit<RuleSweeper.Found>> page(ConversationSearches searches, String org, Query query,
			ExecutionContext position, int size) throws IOException {
		return searches.search(org, (search) -> {
			search.query(query)
				.size(size)
				.trackTotalHits((track) -> track.enabled(false))
				.source((source) -> source.filter((filter) -> filter.includes("id")))
				.sort((sort) -> sort.field((field) -> field.field("startedAt").order(SortOrder.Asc)))
				.sort((sort) -> sort.field((field) -> field.field("id").order(SortOrder.Asc)));
			if (position.containsKey(STARTED_AT)) {
				search.searchAfter(FieldValue.of(position.getLong(STARTED_AT)), FieldValue.of(position.getString(ID)));
			}
		}, RuleSweeper.Found.class).hits().hits();
	}

	/**
	 * What a run goes through, and what it does to each conversation.
	 */
	private record Work(Query query, Act act) {
	}

	private interface Act {

		void on(String conversationId) throws IOException;

	}

}
