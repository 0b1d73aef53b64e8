package org.conversationarchive.export;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import org.conversationarchive.conversation.ConversationSettings;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.conversation.ExportRows;
import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.AppliedView;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.search.SavedViews;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.JobExecutions;
import org.conversationarchive.system.JobFailures;
import org.conversationarchive.system.JsonProblems;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Starts and reports exports. Each export is a batch job (JDBC job repository), so it
 * survives a restart of the service and resumes from its last committed chunk.
 */
@Component
public class Exports {

	static final String TABLE = "table-export";

	static final String HISTORY = "agent-history";

	static final String SCHEDULED = "scheduled-export";

	private static final Set<String> REQUEST_FIELDS = Set.of("filter", "viewId", "columns");

	private final ExportJobs jobs;

	private final JobOperator operator;

	private final JobRepository repository;

	private final Job tableExport;

	private final Job agentHistory;

	private final SavedViews views;

	private final ConversationQueries queries;

	private final ConversationSearches searches;

	private final ExportRuns runs;

	private final JsonMapper json;

	private final ExportRows exportRows;

	private final ConversationSettings conversations;

	Exports(ExportJobs jobs, JobOperator operator, JobRepository repository, Job tableExportJob, Job agentHistoryJob,
			SavedViews views, ConversationQueries queries, ConversationSearches searches, ExportRuns runs,
			JsonMapper json, ExportRows exportRows, ConversationSettings conversations) {
		this.jobs = jobs;
		this.conversations = conversations;
		this.exportRows = exportRows;
		this.operator = operator;
		this.repository = repository;
		this.tableExport = tableExportJob;
		this.agentHistory = agentHistoryJob;
		this.views = views;
		this.queries = queries;
		this.searches = searches;
		this.runs = runs;
		this.json = json;
	}

	/**
	 * What an export of a filter or view would hold, before starting it.
	 *
	 * @param rowCount rows it would have now
	 * @param estimatedBytes about how large the CSV would be
	 */
	public record Preview(long rowCount, long estimatedBytes) {
	}

	Preview preview(CurrentUser user, byte @Nullable [] body) throws IOException {
		Resolved resolved = resolve(user, body);
		Query query = this.queries.filter(user.id(), resolved.filters());
		SearchResponse<ConversationDocument> sample = this.searches.search(user.id(),
				(search) -> search.query(query)
					.size(100)
					.trackTotalHits((track) -> track.enabled(true))
					.source((source) -> source.filter((filter) -> filter.includes(ExportRows.FIELDS))),
				ConversationDocument.class);
		long rows = (sample.hits().total() != null) ? sample.hits().total().value() : 0;
		CsvRows csv = new CsvRows(resolved.columns());
		long header = csv.header().length() + 5;
		double average = sample.hits()
			.hits()
			.stream()
			.filter((hit) -> hit.source() != null)
			.mapToInt((hit) -> csv.row(this.exportRows.cells(hit.source()))
				.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2)
			.average()
			.orElse(0);
		return new Preview(rows, header + Math.round(average * rows));
	}

	ExportJob startTable(CurrentUser user, byte @Nullable [] body, String baseUrl) throws IOException {
		Resolved resolved = resolve(user, body);
		ExportPlan plan = new ExportPlan(resolved.filters(), resolved.columns(), null, null, null, baseUrl);
		String id = UUID.randomUUID().toString();
		String fileName = "conversations-" + Instant.now().atOffset(ZoneOffset.UTC).toLocalDate() + "-"
				+ id.substring(0, 8) + ".csv";
		return start(user.id(), user.userId(), id, TABLE, resolved.description(), plan, fileName, null,
				this.tableExport);
	}

	ExportJob startHistory(CurrentUser user, String agentId, @Nullable Integer year, String baseUrl) {
		ConversationSettings.Years years = this.conversations.years();
		if (year == null || year < years.first() || year > years.last()) {
			throw new InvalidInputException("year: give the calendar year to export, from " + years.first() + " to "
					+ years.last() + ", e.g. {\"year\": " + years.last() + "}");
		}
		if (agentId.isBlank() || agentId.length() > 1024) {
			throw new InvalidInputException("agentId must be 1 to 1024 characters");
		}
		ExportPlan plan = new ExportPlan(List.of(), List.of(), agentId, year, null, baseUrl);
		String id = UUID.randomUUID().toString();
		String fileName = safeName(agentId) + "-" + year + "-conversation-history.zip";
		return start(user.id(), user.userId(), id, HISTORY, "Conversation history of agent " + agentId + " in " + year,
				plan, fileName, null, this.agentHistory);
	}

	/**
	 * Starts a scheduled export of a view (no caller: the schedule's owner).
	 * @param id the export's id
	 * @param org the org
	 * @param owner the schedule's owner
	 * @param scheduleId the schedule
	 * @param viewId the view
	 * @param columns the columns, or the view's
	 * @param destination the folder, relative to the org's folder of scheduled exports
	 * @param baseUrl the service's address for links
	 * @return the job
	 * @throws IOException when the view cannot be read
	 */
	ExportJob startScheduled(String id, String org, String owner, String scheduleId, String viewId,
			@Nullable List<Column> columns, String destination, String baseUrl) throws IOException {
		SavedView view = this.views.find(org, owner, viewId);
		AppliedView applied = AppliedView.of(view, null, null, columns);
		ExportPlan plan = new ExportPlan(applied.filters(), applied.columns(), null, null, destination, baseUrl);
		String fileName = safeName(scheduleId) + "-" + Instant.now().toString().replace(":", "").replace(".", "")
				+ ".csv";
		return start(org, owner, id, SCHEDULED, "Scheduled export " + scheduleId + " of view " + view.name(), plan,
				fileName, scheduleId, this.tableExport);
	}

	private ExportJob start(String org, String userId, String id, String kind, String description, ExportPlan plan,
			String fileName, @Nullable String scheduleId, Job job) {
		this.jobs.insert(new ExportJobs.Export(id, org, userId, kind, description, this.json.writeValueAsString(plan),
				fileName, null, null, null, 0, null, scheduleId, Instant.now(), null, null, false));
		try {
			this.operator.start(job, new JobParametersBuilder().addString("exportId", id).toJobParameters());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start export " + id, ex);
		}
		return view(this.jobs.find(org, id).orElseThrow());
	}

	ExportJob find(String org, String id) {
		return view(this.jobs.find(org, id).orElseThrow(() -> new NotFoundException("no export '" + id + "'")));
	}

	List<ExportJob> list(String org, @Nullable String scheduleId) {
		return this.jobs.list(org, scheduleId, 200).stream().map(this::view).toList();
	}

	ExportJob restart(String org, String id) {
		ExportJobs.Export export = this.jobs.find(org, id)
			.orElseThrow(() -> new NotFoundException("no export '" + id + "'"));
		JobExecution last = lastExecution(export);
		if (last == null || (last.getStatus() != BatchStatus.FAILED && last.getStatus() != BatchStatus.STOPPED)) {
			throw new InvalidInputException(
					"export '" + id + "' has not failed or stopped, so there is nothing to restart");
		}
		try {
			this.operator.restart(last);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not restart export " + id, ex);
		}
		return view(export);
	}

	/**
	 * Reads the request body: a filter, a view, or both (the view's filter, narrowed),
	 * and optionally the columns. Unknown fields are refused, as in a search.
	 */
	private Resolved resolve(CurrentUser user, byte @Nullable [] body) throws IOException {
		JsonNode request;
		try {
			request = (body == null || body.length == 0) ? this.json.createObjectNode() : this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidInputException(JsonProblems.describe(ex));
		}
		if (request == null || !request.isObject()) {
			throw new InvalidInputException(
					"the body must be a JSON object: {\"filter\": …, \"viewId\": …, \"columns\": […]}");
		}
		for (String name : request.propertyNames()) {
			if (!REQUEST_FIELDS.contains(name)) {
				throw new InvalidInputException("unknown field '" + name + "'; expected filter, viewId or columns");
			}
		}
		SavedView view = null;
		Filter narrowing = null;
		List<Column> columns = null;
		String description = "All conversations";
		JsonNode viewId = request.get("viewId");
		if (viewId != null && !viewId.isNull()) {
			if (!viewId.isString() || viewId.asString().isBlank()) {
				throw new InvalidInputException("viewId must be a view's id");
			}
			view = this.views.find(user, viewId.asString());
			description = "View " + view.name();
		}
		JsonNode filter = request.get("filter");
		if (filter != null && !filter.isNull()) {
			try {
				narrowing = Filter.read(this.json, this.json.writeValueAsBytes(filter));
			}
			catch (InvalidInputException ex) {
				throw new InvalidInputException("filter: " + ex.getMessage());
			}
			description = (viewId != null && !viewId.isNull()) ? description + ", narrowed" : "Filtered conversations";
		}
		JsonNode columnList = request.get("columns");
		if (columnList != null && !columnList.isNull()) {
			columns = columns(columnList);
		}
		AppliedView applied = AppliedView.of(view, narrowing, null, columns);
		return new Resolved(applied.filters(), applied.columns(), description);
	}

	private static List<Column> columns(JsonNode list) {
		if (!list.isArray() || list.isEmpty()) {
			throw new InvalidInputException(
					"columns must be a non-empty array of column names, e.g. [\"id\", \"status\"]");
		}
		List<Column> columns = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			JsonNode name = list.get(i);
			try {
				Column column = Column.of(name.asString());
				if (columns.contains(column)) {
					throw new InvalidInputException("columns[" + i + "]: '" + name.asString() + "' is given twice");
				}
				columns.add(column);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidInputException("columns[" + i + "]: " + ex.getMessage());
			}
		}
		return columns;
	}

	private ExportJob view(ExportJobs.Export export) {
		JobExecution execution = lastExecution(export);
		String status = "queued";
		String error = null;
		if (execution != null) {
			status = JobExecutions.status(execution);
			error = JobFailures.error(execution);
		}
		if ("completed".equals(status) && export.expiresAt() == null) {
			// The job finished between reading the export and its execution: read what
			// its last step stored.
			export = this.jobs.find(export.id()).orElse(export);
		}
		if (export.expired()) {
			status = "expired";
		}
		String downloadUrl = null;
		if ("completed".equals(status) && export.expiresAt() != null && export.expiresAt().isAfter(Instant.now())) {
			downloadUrl = this.runs.downloadUrl(export);
		}
		return new ExportJob(export.id(), export.kind(), status, export.rowCount(),
				new ExportJob.Progress(export.done(), export.total()), downloadUrl, export.expiresAt(), error,
				export.fileName(), export.description(), export.createdAt());
	}

	private @Nullable JobExecution lastExecution(ExportJobs.Export export) {
		String jobName = export.kind().equals(HISTORY) ? AgentHistoryJobConfiguration.JOB
				: TableExportJobConfiguration.JOB;
		JobParameters identifying = new JobParametersBuilder().addString("exportId", export.id()).toJobParameters();
		JobInstance instance = this.repository.getJobInstance(jobName, identifying);
		if (instance == null) {
			return null;
		}
		return this.repository.getJobExecutions(instance)
			.stream()
			.max(Comparator.comparing(JobExecution::getId))
			.orElse(null);
	}

	private static String safeName(String value) {
		String safe = value.replaceAll("[^A-Za-z0-9._-]", "_");
		return (safe.length() > 80) ? safe.substring(0, 80) : safe;
	}

	private record Resolved(List<Filter> filters, List<Column> columns, String description) {
	}

}
