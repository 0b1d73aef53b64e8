package org.conversationarchive.review;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.search.Filter;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.JobExecutions;
import org.conversationarchive.system.JobFailures;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A rule's runs over history, as batch jobs: {@code apply} flags what the rule finds
 * among conversations started in a window (those it flagged already are left alone), and
 * {@code remove} takes back every flag the rule set. A run walks its conversations in a
 * total order and records its position, so a failed run restarts where it stopped.
 */
@Component
class RuleRuns {

	static final String APPLY = "apply";

	static final String REMOVE = "remove";

	private final JobOperator operator;

	private final JobExecutions executions;

	private final Job job;

	private final JdbcTemplate jdbc;

	private final ConversationQueries queries;

	private final ConversationSearches searches;

	// Lazy: the job's step asks this for its plan and records its progress here.
	RuleRuns(JobOperator operator, JobExecutions executions, @Lazy Job ruleRunJob, JdbcTemplate jdbc,
			ConversationQueries queries, ConversationSearches searches) {
		this.operator = operator;
		this.executions = executions;
		this.job = ruleRunJob;
		this.jdbc = jdbc;
		this.queries = queries;
		this.searches = searches;
	}

	/**
	 * A run as the API shows it.
	 *
	 * @param id its id
	 * @param ruleId the rule
	 * @param kind {@code apply} or {@code remove}
	 * @param status {@code queued}, {@code running}, {@code completed} or {@code failed}
	 * @param total conversations it had to go through when it started
	 * @param done those gone through so far
	 * @param from the window's start ({@code apply})
	 * @param to the window's end
	 * @param createdAt when it was asked for
	 * @param error why it failed, when it did
	 */
	record Run(String id, String ruleId, String kind, String status, long total, long done, @Nullable Instant from,
			@Nullable Instant to, Instant createdAt, @Nullable String error) {
	}

	/**
	 * Starts a run that flags what a rule finds among the conversations started in a
	 * window.
	 * @param org the org
	 * @param rule the rule
	 * @param from the window's start
	 * @param to the window's end
	 * @param userId who asked
	 * @return the run, queued
	 * @throws IOException when Elasticsearch cannot be reached to count what it covers
	 */
	Run apply(String org, Rule rule, @Nullable Instant from, @Nullable Instant to, String userId) throws IOException {
		return start(org, rule.id(), APPLY, toApply(org, rule, from, to), from, to, userId);
	}

	/**
	 * Starts a run that takes back every flag a rule set; the rule may be deleted before
	 * it is done.
	 * @param org the org
	 * @param ruleId the rule
	 * @param userId who asked
	 * @return the run, queued
	 * @throws IOException when Elasticsearch cannot be reached to count what it covers
	 */
	Run remove(String org, String ruleId, String userId) throws IOException {
		return start(org, ruleId, REMOVE, toRemove(org, ruleId), null, null, userId);
	}

	private Run start(String org, String ruleId, String kind, Query covered, @Nullable Instant from,
			@Nullable Instant to, String userId) throws IOException {
		String id = UUID.randomUUID().toString();
		long total = this.searches
			.search(org, (search) -> search.query(covered).size(0).trackTotalHits((track) -> track.enabled(true)),
					Void.class)
			.hits()
			.total()
			.value();
		this.jdbc.update(
				"insert into archive_rule_run (id, org, rule_id, kind, user_id, from_at, to_at, total, created_at) "
						+ "values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				id, org, ruleId, kind, userId, timestamp(from), timestamp(to), total, Timestamp.from(Instant.now()));
		JobParametersBuilder parameters = new JobParametersBuilder().addString("runId", id);
		try {
			this.operator.start(this.job, parameters.toJobParameters());
		}
		catch (Exception ex) {
			this.jdbc.update("delete from archive_rule_run where id = ?", id);
			throw new IllegalStateException("Could not start run " + id + " of rule " + ruleId, ex);
		}
		return find(org, ruleId, id).orElseThrow();
	}

	/**
	 * What an {@code apply} run goes through: what the rule finds started in the window
	 * and never flagged by it.
	 */
	Query toApply(String org, Rule rule, @Nullable Instant from, @Nullable Instant to) throws IOException {
		Query filter = this.queries.filter(org, List.of(rule.filter(), Filter.ALL.between(from, to)));
		return Query.of((query) -> query.bool((bool) -> bool.filter(filter)
			.mustNot((never) -> never.term((term) -> term.field("flagHistory.ruleId").value(rule.id())))));
	}

	/**
	 * What a {@code remove} run goes through: what the rule flagged, found by its id
	 * alone.
	 */
	static Query toRemove(String org, String ruleId) {
		return Query
			.of((query) -> query.bool((bool) -> bool.filter((only) -> only.term((term) -> term.field("org").value(org)))
				.filter((flagged) -> flagged.term((term) -> term.field("flags.ruleId").value(ruleId)))));
	}

	/**
	 * A run's parameters, for its job.
	 */
	record Planned(String org, String ruleId, String kind, @Nullable Instant from, @Nullable Instant to,
			String userId) {
	}

	Planned planned(String runId) {
		return this.jdbc
			.query("select * from archive_rule_run where id = ?",
					(row, number) -> new Planned(row.getString("org"), row.getString("rule_id"), row.getString("kind"),
							instant(row.getTimestamp("from_at")), instant(row.getTimestamp("to_at")),
							row.getString("user_id")),
					runId)
			.stream()
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no rule run '" + runId + "'"));
	}

	void done(String runId, long count) {
		this.jdbc.update("update archive_rule_run set done_count = done_count + ? where id = ?", count, runId);
	}

	Optional<Run> find(String org, String ruleId, String id) {
		return this.jdbc
			.query("select * from archive_rule_run where org = ? and rule_id = ? and id = ?", (row, number) -> run(row),
					org, ruleId, id)
			.stream()
			.findFirst();
	}

	List<Run> list(String org, String ruleId) {
		return this.jdbc.query(
				"select * from archive_rule_run where org = ? and rule_id = ? order by created_at desc limit 100",
				(row, number) -> run(row), org, ruleId);
	}

	/**
	 * Runs a failed run again from where it stopped.
	 */
	Run restart(String org, String ruleId, String id) {
		find(org, ruleId, id).orElseThrow(() -> new NotFoundException("no run '" + id + "' of rule '" + ruleId + "'"));
		List<JobExecution> executions = executions(id);
		if (executions.isEmpty() || executions.get(0).getStatus() != BatchStatus.FAILED) {
			throw new InvalidInputException("run '" + id + "' has not failed, so there is nothing to restart");
		}
		try {
			this.operator.restart(executions.get(0));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not restart run " + id, ex);
		}
		return find(org, ruleId, id).orElseThrow();
	}

	private Run run(java.sql.ResultSet row) throws java.sql.SQLException {
		String id = row.getString("id");
		List<JobExecution> executions = executions(id);
		JobExecution last = executions.isEmpty() ? null : executions.get(0);
		return new Run(id, row.getString("rule_id"), row.getString("kind"), JobExecutions.status(last),
				row.getLong("total"), row.getLong("done_count"), instant(row.getTimestamp("from_at")),
				instant(row.getTimestamp("to_at")), row.getTimestamp("created_at").toInstant(),
				(last != null) ? JobFailures.error(last) : null);
	}

	private List<JobExecution> executions(String runId) {
		return this.executions.latestFirst(RuleRunJobConfiguration.JOB, "runId", runId);
	}

	private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
