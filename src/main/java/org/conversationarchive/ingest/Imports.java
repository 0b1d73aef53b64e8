package org.conversationarchive.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.conversationarchive.storage.FileStore;
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
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Imports of conversation files: each upload is kept in the org's folder of the
 * {@link FileStore} ({@code imports/<org>/<import id>/input}) and read by its own run of
 * the import job.
 */
@Component
class Imports {

	/** The longest agent id, as a history export takes it. */
	static final int MAX_AGENT_ID = 1024;

	private final JobOperator operator;

	private final JobExecutions executions;

	private final Job job;

	private final JdbcTemplate jdbc;

	private final FileStore files;

	Imports(JobOperator operator, JobExecutions executions, Job conversationImportJob, JdbcTemplate jdbc,
			FileStore files) {
		this.operator = operator;
		this.executions = executions;
		this.job = conversationImportJob;
		this.jdbc = jdbc;
		this.files = files;
	}

	/**
	 * An import as the API shows it.
	 *
	 * @param id the import's id
	 * @param fileName the uploaded file's name
	 * @param format how it is read
	 * @param status {@code queued}, {@code running}, {@code completed} or {@code failed}
	 * @param read lines (NDJSON) or conversations (history CSV) read so far
	 * @param stored conversations stored so far
	 * @param failed lines refused so far
	 * @param errorsUrl where the refused lines are listed
	 * @param createdAt when it was uploaded
	 * @param error why it failed, when it did
	 */
	record Import(String id, String fileName, ImportFormat format, String status, long read, long stored, long failed,
			String errorsUrl, Instant createdAt, @Nullable String error) {
	}

	/**
	 * A refused line.
	 *
	 * @param line its 1-based number in the file
	 * @param id the conversation id on it, when it could be read
	 * @param error what is wrong with it
	 */
	record ImportError(long line, @Nullable String id, String error) {
	}

	Import start(String org, @Nullable String fileName, @Nullable String format, @Nullable String agentId,
			InputStream content) throws IOException {
		ImportFormat importFormat;
		try {
			importFormat = (format != null && !format.isBlank()) ? ImportFormat.of(format)
					: ImportFormat.forFile(fileName);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInputException("parameter format: " + ex.getMessage());
		}
		if (agentId != null && agentId.length() > MAX_AGENT_ID) {
			// As a history export takes it; a job parameter holds no more.
			throw new InvalidInputException(
					"parameter agentId: " + agentId.length() + " characters; at most " + MAX_AGENT_ID + " are allowed");
		}
		String id = UUID.randomUUID().toString();
		String name = (fileName != null && !fileName.isBlank()) ? Path.of(fileName).getFileName().toString() : "upload";
		// In the org's own folder, as every file kept for an org.
		String file = folder(org, id) + "/input";
		this.files.write(file, content, Long.MAX_VALUE);
		Instant now = Instant.now();
		this.jdbc.update("insert into archive_import (id, org, file_name, format, created_at) values (?, ?, ?, ?, ?)",
				id, org, truncate(name, 512), importFormat.json(), Timestamp.from(now));
		JobParametersBuilder parameters = new JobParametersBuilder().addString("importId", id)
			.addString("org", org, false)
			.addString("file", file, false)
			.addString("format", importFormat.json(), false);
		if (agentId != null && !agentId.isBlank()) {
			parameters.addString("agentId", agentId, false);
		}
		try {
			this.operator.start(this.job, parameters.toJobParameters());
		}
		catch (Exception ex) {
			// Nothing was imported: leave no import behind that never runs.
			this.jdbc.update("delete from archive_import where id = ?", id);
			this.files.deleteTree(folder(org, id));
			throw new IllegalStateException("Could not start import " + id, ex);
		}
		return find(org, id).orElseThrow();
	}

	private static String folder(String org, String id) {
		return "imports/" + org + "/" + id;
	}

	Optional<Import> find(String org, String id) {
		List<Import> found = this.jdbc.query(
				"select id, file_name, format, created_at from archive_import where id = ? and org = ?",
				(row, number) -> view(row.getString("id"), row.getString("file_name"),
						ImportFormat.of(row.getString("format")),
						row.getTimestamp("created_at").toInstant().atOffset(ZoneOffset.UTC).toInstant()),
				id, org);
		return found.stream().findFirst();
	}

	List<Import> list(String org) {
		return this.jdbc.query(
				"select id, file_name, format, created_at from archive_import where org = ? order by created_at desc limit 100",
				(row, number) -> view(row.getString("id"), row.getString("file_name"),
						ImportFormat.of(row.getString("format")), row.getTimestamp("created_at").toInstant()),
				org);
	}

	void errors(String org, String id, Consumer<ImportError> each) {
		if (find(org, id).isEmpty()) {
			throw new NotFoundException("no import '" + id + "'");
		}
		this.jdbc.query(
				"select line, conversation_id, error from archive_import_error where import_id = ? order by line",
				(row) -> {
					each.accept(new ImportError(row.getLong("line"), row.getString("conversation_id"),
							row.getString("error")));
				}, id);
	}

	/**
	 * Runs a failed import again from its last committed chunk.
	 * @param org the org
	 * @param id the import
	 * @return the import, running again
	 */
	Import restart(String org, String id) {
		find(org, id).orElseThrow(() -> new NotFoundException("no import '" + id + "'"));
		JobExecution last = lastExecution(id);
		if (last == null || last.getStatus() != BatchStatus.FAILED) {
			throw new InvalidInputException("import '" + id + "' has not failed, so there is nothing to restart");
		}
		try {
			this.operator.restart(last);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not restart import " + id, ex);
		}
		return find(org, id).orElseThrow();
	}

	private Import view(String id, String fileName, ImportFormat format, Instant createdAt) {
		List<JobExecution> executions = executions(id);
		JobExecution execution = executions.isEmpty() ? null : executions.get(0);
		long read = 0;
		long written = 0;
		// A restarted import continues where it stopped: its counts add up over its runs.
		for (JobExecution run : executions) {
			for (StepExecution step : run.getStepExecutions()) {
				if (step.getStepName().equals(ImportJobConfiguration.STEP)) {
					read += step.getReadCount();
					written += step.getWriteCount();
				}
			}
		}
		String status = JobExecutions.status(execution);
		String error = (execution != null) ? JobFailures.error(execution) : null;
		Long failed = this.jdbc.queryForObject("select count(*) from archive_import_error where import_id = ?",
				Long.class, id);
		long refused = (failed != null) ? failed : 0;
		return new Import(id, fileName, format, status, read, Math.max(0, written - refused), refused,
				"/api/v1/imports/" + id + "/errors", createdAt, error);
	}

	private @Nullable JobExecution lastExecution(String importId) {
		List<JobExecution> executions = executions(importId);
		return executions.isEmpty() ? null : executions.get(0);
	}

	/**
	 * The runs of an import, the latest first.
	 */
	private List<JobExecution> executions(String importId) {
		return this.executions.latestFirst(ImportJobConfiguration.JOB, "importId", importId);
	}

	private static String truncate(String value, int length) {
		return (value.length() <= length) ? value : value.substring(0, length);
	}

}
