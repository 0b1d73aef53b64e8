package org.conversationarchive.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.transport.TransportException;
import org.conversationarchive.conversation.ConversationWalks;
import org.conversationarchive.notifications.Notifications;
import org.conversationarchive.notifications.Webhooks;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.security.AuditEvent;
import org.conversationarchive.security.SignedLinks;
import org.conversationarchive.storage.FileStore;
import org.conversationarchive.system.JobSettings;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.system.StorageUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What export jobs do around their rows: open and count the snapshot, report progress,
 * and publish the finished file with its link, notification and audit entry.
 */
@Component
class ExportRuns {

	private static final Logger logger = LoggerFactory.getLogger(ExportRuns.class);

	private final ExportJobs jobs;

	private final SignedLinks links;

	private final JsonMapper json;

	private final ConversationQueries queries;

	private final ConversationWalks walks;

	private final ExportSettings settings;

	private final ExportFolders folders;

	private final FileStore files;

	private final Notifications notifications;

	private final Webhooks webhooks;

	private final ApplicationEventPublisher events;

	private final JobRepository repository;

	ExportRuns(ExportJobs jobs, SignedLinks links, JsonMapper json, ConversationQueries queries,
			ConversationWalks walks, ExportSettings settings, ExportFolders folders, FileStore files,
			Notifications notifications, Webhooks webhooks, ApplicationEventPublisher events, JobRepository repository,
			JobSettings jobSettings) {
		settings.requireRecoveryWithin(jobSettings.staleAfter());
		this.jobs = jobs;
		this.repository = repository;
		this.links = links;
		this.json = json;
		this.queries = queries;
		this.walks = walks;
		this.settings = settings;
		this.folders = folders;
		this.files = files;
		this.notifications = notifications;
		this.webhooks = webhooks;
		this.events = events;
	}

	/**
	 * The point in time an export reads, and how many rows it holds.
	 *
	 * @param pit the point in time
	 * @param total its rows
	 */
	record Snapshot(String pit, long total) {
	}

	Snapshot openSnapshot(String exportId) throws IOException {
		ExportJobs.Export export = export(exportId);
		Query query = query(exportId);
		String pit;
		try {
			pit = openPointInTime(export);
		}
		catch (ElasticsearchException | TransportException ex) {
			logger.warn("Could not open a point in time for export {}", exportId, ex);
			throw new ExportFailure(
					"Elasticsearch could not open a snapshot of the conversations (" + PitReader.describe(ex)
							+ "); nothing was published. Restart the export once Elasticsearch is whole.");
		}
		return new Snapshot(pit, countTotal(exportId, pit, query));
	}

	/**
	 * Opens a point in time over the org's conversations, every index of them: one that
	 * cannot be read (closed, or without a copy of a shard) fails rather than leaving its
	 * rows out.
	 * @param export the export
	 * @return the point in time's id
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	String openPointInTime(ExportJobs.Export export) throws IOException {
		return this.walks.open(export.org(), this.settings.keepAlive());
	}

	/**
	 * Counts what a query finds at a point in time and records it as the export's total.
	 * @param exportId the export
	 * @param pit the point in time
	 * @param query the query
	 * @return the count
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	long countTotal(String exportId, String pit, Query query) throws IOException {
		SearchResponse<Void> counted;
		try {
			counted = this.walks.search(pit, this.settings.keepAlive(),
					(search) -> search.query(query).size(0).trackTotalHits((track) -> track.enabled(true)), Void.class);
			PitReader.checkShards(counted);
		}
		catch (ElasticsearchException | TransportException | PitReader.PageFailure ex) {
			if (ex instanceof ElasticsearchException refused
					&& !StorageUnavailableException.isUnavailability(refused)) {
				// A fault no restart mends: reported as unexpected, without the engine's
				// words.
				throw refused;
			}
			logger.warn("Could not count an export's point in time", ex);
			throw new ExportFailure("Elasticsearch could not count the snapshot (" + PitReader.describe(ex)
					+ "); nothing was published. Restart the export once Elasticsearch is whole.");
		}
		long total = counted.hits().total().value();
		this.jobs.total(exportId, total);
		return total;
	}

	Query query(String exportId) throws IOException {
		ExportJobs.Export export = export(exportId);
		return this.queries.filter(export.org(), plan(exportId).filters());
	}

	ExportPlan plan(String exportId) {
		return plan(export(exportId));
	}

	ExportPlan plan(ExportJobs.Export export) {
		return this.json.readValue(java.util.Objects.requireNonNull(export.requestJson()), ExportPlan.class);
	}

	/**
	 * The signed link of a finished export: its org and id, valid until it expires.
	 * @param export the export
	 * @return the absolute link
	 */
	String downloadUrl(ExportJobs.Export export) {
		String token = this.links.sign(new SignedLinks.Link(export.org(), "export", export.id(),
				java.util.Objects.requireNonNull(export.expiresAt())));
		return plan(export).baseUrl() + "/api/v1/downloads/" + token;
	}

	Path directory(ExportJobs.Export export) {
		return this.folders.staging(export.org(), export.id());
	}

	Path partFile(String exportId) {
		ExportJobs.Export export = export(exportId);
		return directory(export).resolve(export.fileName() + ".part");
	}

	/**
	 * Keeps the export's progress current after every committed chunk.
	 */
	ItemWriteListener<String> progress(PitReader<?> reader, String exportId) {
		return new ItemWriteListener<>() {
			@Override
			public void afterWrite(Chunk<? extends String> items) {
				// The total changes when the read resumed on a fresh point in time.
				ExportRuns.this.jobs.progress(exportId, reader.handedOut(), reader.expected());
			}
		};
	}

	/**
	 * What the row step read, over all its runs (its reader keeps it in the step's saved
	 * state, and has checked it against what the snapshot held): the rows it handed out,
	 * and the points in time it read.
	 *
	 * @param written rows handed out (and so written)
	 * @param pointsInTime the points in time to close
	 * @param segments the segments written to the object store, or -1 when the rows went
	 * to a local file
	 */
	record RowsRead(long written, Set<String> pointsInTime, int segments) {
	}

	RowsRead rowsRead(JobExecution job) {
		Set<String> pits = new LinkedHashSet<>();
		if (job.getExecutionContext().containsKey("pit")) {
			pits.add(job.getExecutionContext().getString("pit"));
		}
		// The step may have completed in an earlier run of the job than this one.
		StepExecution rows = this.repository.getLastStepExecution(job.getJobInstance(),
				TableExportJobConfiguration.ROWS);
		if (rows == null || !rows.getExecutionContext().containsKey("pit.read")) {
			return new RowsRead(0, pits, -1);
		}
		ExecutionContext read = rows.getExecutionContext();
		if (read.containsKey("pit.id")) {
			pits.add(read.getString("pit.id"));
		}
		return new RowsRead(read.getLong("pit.read"), pits,
				read.containsKey(SegmentWriter.COUNT) ? read.getInt(SegmentWriter.COUNT) : -1);
	}

	/**
	 * Gives the finished file its name, place in the store and link, tells the person who
	 * asked, and closes the point in time. The rows were counted by the reader, which
	 * fails a read that ends with other than what its snapshot held ({@link PitReader}).
	 */
	void publish(String exportId, Path part, long rows, Collection<String> pits) throws IOException {
		ExportJobs.Export export = export(exportId);
		String file = this.folders.file(export);
		if (Files.exists(part) || !this.files.exists(file)) {
			// A publish that failed after the file was stored (its delivery) runs again
			// on restart.
			this.files.put(file, part);
			removeStaging(part.getParent());
		}
		published(export, file, rows, pits);
	}

	/**
	 * Publishes a file written to the object store as segments: they become the file,
	 * uploaded in parts, and go.
	 */
	void publishSegments(String exportId, int segments, long rows, Collection<String> pits) throws IOException {
		ExportJobs.Export export = export(exportId);
		String file = this.folders.file(export);
		String folder = SegmentWriter.folder(file);
		if (this.files.exists(SegmentWriter.segment(folder, 0)) || !this.files.exists(file)) {
			try (InputStream content = SegmentWriter.concatenated(this.files, folder, segments)) {
				this.files.write(file, content, Long.MAX_VALUE);
			}
			this.files.deleteTree(folder);
		}
		published(export, file, rows, pits);
	}

	private void published(ExportJobs.Export export, String file, long rows, Collection<String> pits)
			throws IOException {
		String exportId = export.id();
		ExportPlan plan = plan(exportId);
		if (plan.destination() != null) {
			// Checked again here: a link placed in the folder since the schedule was
			// saved must not carry another org's rows out of it. Delivered before the
			// export is recorded as done, so that a failed delivery is a failed export.
			String destination = this.folders.destination(export.org(), plan.destination())
				.orElseThrow(() -> new ExportFailure("The destination '" + plan.destination()
						+ "' leads out of the org's folder of scheduled exports; nothing was delivered."));
			deliver(file, destination + "/" + export.fileName());
		}
		Instant expiresAt = Instant.now().plus(this.settings.linkValidity());
		this.jobs.completed(exportId, this.files.location(file), this.files.resource(file).contentLength(), rows,
				expiresAt);
		ExportJobs.Export done = export(exportId);
		String link = downloadUrl(done);
		String expiry = " Please click link or copy the link to browser to download. The link will expire in "
				+ validity(this.settings.linkValidity()) + ".";
		String message = export.kind().equals(Exports.HISTORY)
				? "AI agent conversation history export successful (" + export.fileName() + ")." + expiry
				: "Conversation export successful (" + rows + ((rows == 1) ? " row)." : " rows).") + expiry;
		this.notifications.notify(export.org(), export.userId(), message, link);
		Map<String, Object> ready = new LinkedHashMap<>();
		ready.put("exportId", exportId);
		ready.put("kind", export.kind());
		ready.put("fileName", export.fileName());
		ready.put("rowCount", rows);
		ready.put("downloadUrl", link);
		ready.put("expiresAt", java.util.Objects.requireNonNull(done.expiresAt()).toString());
		ready.put("requestedBy", export.userId());
		if (export.scheduleId() != null) {
			ready.put("scheduleId", export.scheduleId());
		}
		this.webhooks.publish(export.org(), ExportEvents.READY, ready);
		this.events.publishEvent(new AuditEvent(export.org(), "export.completed", exportId,
				export.kind() + ": " + rows + " rows, " + export.fileName()));
		pits.forEach(this::closePointInTime);
	}

	void closePointInTime(String pit) {
		try {
			this.walks.close(pit);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not close point in time; it expires by itself: {}", ex.toString());
		}
	}

	ExportJobs.Export export(String exportId) {
		return this.jobs.find(exportId).orElseThrow(() -> new NotFoundException("no export '" + exportId + "'"));
	}

	/**
	 * A scheduled export's copy in its destination folder, stored whole or not at all (a
	 * file written beside and renamed, an object uploaded), so a BI tool watching the
	 * folder never sees half a file.
	 */
	private void deliver(String file, String destination) throws IOException {
		try (InputStream content = this.files.resource(file).getInputStream()) {
			this.files.write(destination, content, Long.MAX_VALUE);
		}
	}

	/**
	 * The local folder the file was written in, once it is empty (where the store is not
	 * the local disk).
	 */
	private static void removeStaging(Path folder) {
		try {
			Files.deleteIfExists(folder);
		}
		catch (DirectoryNotEmptyException ex) {
			// The store's own folder on the local disk, holding the file.
		}
		catch (IOException ex) {
			logger.debug("Could not remove {}: {}", folder, ex.toString());
		}
	}

	private static String validity(java.time.Duration validity) {
		long hours = validity.toHours();
		if (hours >= 1 && validity.equals(java.time.Duration.ofHours(hours))) {
			return hours == 1 ? "1 hour" : hours + " hours";
		}
		long minutes = Math.max(1, validity.toMinutes());
		return minutes == 1 ? "1 minute" : minutes + " minutes";
	}

}
