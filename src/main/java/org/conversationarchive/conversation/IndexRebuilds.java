package org.conversationarchive.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.indices.ResolveIndexResponse;
import co.elastic.clients.elasticsearch.indices.resolve_index.ResolveIndexAliasItem;
import co.elastic.clients.elasticsearch.indices.resolve_index.ResolveIndexItem;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.system.ConflictException;
import org.conversationarchive.system.JobExecutions;
import org.conversationarchive.system.JobFailures;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Rebuilds of the yearly conversation indices into new ones, for an analysis the index
 * template changed (a yearly index keeps the analysis it was created with): which need
 * one, starting them (a batch job each, {@link IndexRebuildJobConfiguration}) and their
 * progress. An index needs one when its analysis is older than the template's
 * ({@link #needsRebuild}).
 */
@Component
class IndexRebuilds {

	private static final Logger logger = LoggerFactory.getLogger(IndexRebuilds.class);

	static final String COPY = "copy";

	static final String CATCH_UP = "catch-up";

	static final String BLOCKED = "blocked";

	static final String SWAPPED = "swapped";

	static final String FAILED = "failed";

	/**
	 * The analyzer whose absence says an index's analysis predates the template's.
	 */
	static final String CURRENT_ANALYZER = "archive_words";

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private final JsonMapper json;

	private final JdbcTemplate jdbc;

	private final JobOperator operator;

	private final JobExecutions executions;

	private final Job job;

	private final Pattern yearly;

	// Lazy: the job's step asks this for its plan and records its progress here.
	IndexRebuilds(ElasticsearchClient client, ArchiveIndices indices, JsonMapper json, JdbcTemplate jdbc,
			JobOperator operator, JobExecutions executions, @Lazy Job indexRebuildJob) {
		this.client = client;
		this.indices = indices;
		this.json = json;
		this.jdbc = jdbc;
		this.operator = operator;
		this.executions = executions;
		this.job = indexRebuildJob;
		this.yearly = Pattern.compile(Pattern.quote(indices.conversations()) + "-(\\d{4})");
	}

	/**
	 * Whether an index needs a rebuild, from its settings: when its analysis lacks the
	 * template's newest analyzer.
	 * @param flatSettings the index's settings, flat ({@code index.analysis.…})
	 * @return whether it needs one
	 */
	static boolean needsRebuild(Map<String, String> flatSettings) {
		String analyzer = "index.analysis.analyzer." + CURRENT_ANALYZER + ".";
		return flatSettings.keySet().stream().noneMatch((key) -> key.startsWith(analyzer));
	}

	/**
	 * A yearly index as the API shows it.
	 *
	 * @param year its year
	 * @param name its yearly name
	 * @param index the concrete index behind it (itself, or a rebuilt one)
	 * @param docsCount its conversations
	 * @param needsRebuild whether its analysis is older than the template's
	 * @param rebuild its latest rebuild, if any
	 */
	record YearlyIndex(int year, String name, String index, long docsCount, boolean needsRebuild,
			@Nullable Rebuild rebuild) {
	}

	/**
	 * A rebuild as the API shows it.
	 *
	 * @param id its id
	 * @param year the year rebuilt
	 * @param source the index copied
	 * @param target the index copied into
	 * @param status {@code queued}, {@code running}, {@code completed} or {@code failed}
	 * @param phase {@code copy}, {@code catch-up}, {@code blocked}, {@code swapped} or
	 * {@code failed}
	 * @param copied documents copied so far (catch-up passes copy some again)
	 * @param total documents of the source when the copy started
	 * @param createdAt when it was asked for
	 * @param error why it failed, when it did
	 */
	record Rebuild(String id, int year, @Nullable String source, @Nullable String target, String status, String phase,
			long copied, long total, Instant createdAt, @Nullable String error) {
	}

	/**
	 * The yearly indices, by year, each with the concrete index behind its name.
	 * @return year to concrete index
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	Map<Integer, String> concrete() throws IOException {
		ResolveIndexResponse resolved = this.client.indices()
			.resolveIndex((resolve) -> resolve.name(this.indices.conversations() + "-*"));
		Map<Integer, String> byYear = new TreeMap<>();
		for (ResolveIndexItem index : resolved.indices()) {
			Matcher matcher = this.yearly.matcher(index.name());
			if (matcher.matches()) {
				byYear.put(Integer.parseInt(matcher.group(1)), index.name());
			}
		}
		for (ResolveIndexAliasItem alias : resolved.aliases()) {
			Matcher matcher = this.yearly.matcher(alias.name());
			if (matcher.matches() && alias.indices().size() == 1) {
				byYear.put(Integer.parseInt(matcher.group(1)), alias.indices().get(0));
			}
		}
		return byYear;
	}

	/**
	 * The yearly indices, with their counts, whether each needs a rebuild and its latest.
	 * @return the indices, by year
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	List<YearlyIndex> list() throws IOException {
		List<YearlyIndex> list = new ArrayList<>();
		for (Map.Entry<Integer, String> each : concrete().entrySet()) {
			int year = each.getKey();
			String index = each.getValue();
			list.add(new YearlyIndex(year, this.indices.conversations(year), index, count(index),
					needsRebuild(flatSettings(index)), latest(year).orElse(null)));
		}
		return list;
	}

	/**
	 * Starts a rebuild of a year's index.
	 * @param year the year
	 * @return the rebuild, queued
	 * @throws IOException when Elasticsearch cannot be reached
	 * @throws NotFoundException when the year has no index
	 * @throws ConflictException when a rebuild of the year is under way (or failed: then
	 * it is restarted, not started again)
	 */
	Rebuild start(int year) throws IOException {
		if (!concrete().containsKey(year)) {
			throw new NotFoundException("no conversation index of year " + year);
		}
		Optional<Rebuild> latest = latest(year);
		if (latest.isPresent() && !"completed".equals(latest.get().status())) {
			throw new ConflictException("rebuild " + latest.get().id() + " of year " + year + " is "
					+ latest.get().status() + ("failed".equals(latest.get().status())
							? "; restart it (POST …/rebuilds/" + latest.get().id() + "/restart)" : ""));
		}
		String id = UUID.randomUUID().toString();
		Timestamp now = Timestamp.from(Instant.now());
		try {
			this.jdbc.update(
					"insert into archive_index_rebuild (id, index_year, phase, copied, total, created_at, "
							+ "updated_at, active_year) values (?, ?, ?, 0, 0, ?, ?, ?)",
					id, year, COPY, now, now, year);
		}
		catch (DuplicateKeyException ex) {
			// Another request, here or on another instance, started one a moment ago.
			throw new ConflictException("a rebuild of year " + year + " has just been started");
		}
		try {
			this.operator.start(this.job, new JobParametersBuilder().addString("rebuildId", id).toJobParameters());
		}
		catch (Exception ex) {
			this.jdbc.update("delete from archive_index_rebuild where id = ?", id);
			throw new IllegalStateException("Could not start rebuild " + id + " of year " + year, ex);
		}
		return find(id).orElseThrow();
	}

	/**
	 * Starts a rebuild of every yearly index that needs one and has none under way.
	 * @return the rebuilds started
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	List<Rebuild> startStale() throws IOException {
		List<Rebuild> started = new ArrayList<>();
		for (YearlyIndex index : list()) {
			if (index.needsRebuild() && (index.rebuild() == null || "completed".equals(index.rebuild().status()))) {
				started.add(start(index.year()));
			}
		}
		return started;
	}

	/**
	 * Runs a failed rebuild again from its last committed chunk.
	 * @param id the rebuild
	 * @return the rebuild
	 */
	Rebuild restart(String id) {
		find(id).orElseThrow(() -> new NotFoundException("no rebuild '" + id + "'"));
		List<JobExecution> executions = executions(id);
		if (executions.isEmpty() || !"failed".equals(JobExecutions.status(executions.get(0)))) {
			throw new ConflictException("rebuild '" + id + "' has not failed, so there is nothing to restart");
		}
		if (executions.get(0).getEndTime() == null) {
			throw new ConflictException("rebuild '" + id + "' is still stopping; restart it in a moment");
		}
		try {
			this.operator.restart(executions.get(0));
		}
		catch (JobRestartException ex) {
			// Its failure is told before its execution is stored as ended.
			throw new ConflictException("rebuild '" + id + "' is still stopping; restart it in a moment");
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not restart rebuild " + id, ex);
		}
		return find(id).orElseThrow();
	}

	Optional<Rebuild> find(String id) {
		return this.jdbc.query("select * from archive_index_rebuild where id = ?", this::rebuild, id)
			.stream()
			.findFirst();
	}

	Optional<Rebuild> latest(int year) {
		return this.jdbc
			.query("select * from archive_index_rebuild where index_year = ? order by created_at desc", this::rebuild,
					year)
			.stream()
			.findFirst();
	}

	int year(String rebuildId) {
		return this.jdbc
			.query("select index_year from archive_index_rebuild where id = ?", (row, n) -> row.getInt(1), rebuildId)
			.stream()
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("no index rebuild '" + rebuildId + "'"));
	}

	void progress(String rebuildId, @Nullable String source, @Nullable String target, String phase, long copied,
			long total, @Nullable String detail) {
		this.jdbc.update(
				"update archive_index_rebuild set source_index = ?, target_index = ?, phase = ?, copied = ?, "
						+ "total = ?, detail = ?, updated_at = ?, active_year = "
						+ (SWAPPED.equals(phase) ? "null" : "active_year") + " where id = ?",
				source, target, phase, copied, total, detail, Timestamp.from(Instant.now()), rebuildId);
	}

	void failed(String rebuildId, @Nullable String detail) {
		this.jdbc.update("update archive_index_rebuild set phase = ?, detail = ?, updated_at = ? where id = ?", FAILED,
				detail, Timestamp.from(Instant.now()), rebuildId);
	}

	/**
	 * Logs which yearly indices need a rebuild, once the service is up.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void tellWhichNeedRebuild() {
		try {
			List<String> stale = list().stream()
				.filter(YearlyIndex::needsRebuild)
				.map((index) -> index.name() + " (" + index.docsCount() + " conversations)")
				.toList();
			if (!stale.isEmpty()) {
				logger.warn("These conversation indices have an analysis older than the index template's and need "
						+ "a rebuild (POST /api/v1/conversation-indices/rebuilds): {}", stale);
			}
		}
		catch (Exception ex) {
			logger.info("Could not tell which conversation indices need a rebuild: {}", ex.toString());
		}
	}

	long count(String index) throws IOException {
		return this.client.count((count) -> count.index(index)).count();
	}

	Map<String, String> flatSettings(String index) throws IOException {
		JsonNode answer = perform(new Request("GET", "/" + index + "/_settings?flat_settings=true"));
		Map<String, String> settings = new TreeMap<>();
		answer.path(index)
			.path("settings")
			.properties()
			.forEach((entry) -> settings.put(entry.getKey(),
					entry.getValue().isString() ? entry.getValue().asString() : entry.getValue().toString()));
		return settings;
	}

	/**
	 * Creates the index a year is rebuilt into, with the settings and mappings the
	 * templates give a yearly index today (shards and routing partition size included),
	 * and no alias: its name matches the {@code rebuilt-conversations} template, composed
	 * of the same component templates. Simulating the yearly template instead failed
	 * whenever an org spreads over several shards: Elasticsearch simulates an index of
	 * one shard.
	 * @param target the new index's name
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	void createLikeTemplate(String target) throws IOException {
		this.client.indices().create((create) -> create.index(target));
	}

	/**
	 * Whether the searches' alias reads an index (a rebuild's target, once the swap has
	 * begun).
	 * @param index the index
	 * @return whether the read alias is on it
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	boolean readsFrom(String index) throws IOException {
		return this.client.indices()
			.existsAlias((exists) -> exists.name(this.indices.conversations()).index(index).ignoreUnavailable(true))
			.value();
	}

	/**
	 * Sets or takes away an index's write block.
	 * @param index the index
	 * @param blocked whether writes are refused
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	void writeBlock(String index, boolean blocked) throws IOException {
		Request request = new Request("PUT", "/" + index + "/_settings");
		request.setJsonEntity("{\"index.blocks.write\": " + (blocked ? "true" : "null") + "}");
		perform(request);
	}

	private JsonNode perform(Request request) throws IOException {
		if (!(this.client._transport() instanceof Rest5ClientTransport transport)) {
			throw new IllegalStateException("index rebuilds go through the REST 5 client");
		}
		Response response = transport.restClient().performRequest(request);
		try (InputStream in = response.getEntity().getContent()) {
			JsonNode answer = this.json.readTree(in);
			// A refusal must stop the rebuild, not pass for an answer.
			int status = response.getStatusCode();
			if (status >= 300) {
				throw new IOException(request.getMethod() + " " + request.getEndpoint() + " answered " + status + ": "
						+ answer.path("error").path("reason").asString(answer.toString()));
			}
			return answer;
		}
	}

	private Rebuild rebuild(ResultSet row, int number) throws SQLException {
		String id = row.getString("id");
		List<JobExecution> executions = executions(id);
		JobExecution last = executions.isEmpty() ? null : executions.get(0);
		String error = (last != null) ? JobFailures.error(last) : null;
		String detail = row.getString("detail");
		return new Rebuild(id, row.getInt("index_year"), row.getString("source_index"), row.getString("target_index"),
				JobExecutions.status(last), row.getString("phase"), row.getLong("copied"), row.getLong("total"),
				row.getTimestamp("created_at").toInstant(),
				(error != null && detail != null) ? detail + ": " + error : error);
	}

	private List<JobExecution> executions(String rebuildId) {
		return this.executions.latestFirst(IndexRebuildJobConfiguration.JOB, "rebuildId", rebuildId);
	}

}
