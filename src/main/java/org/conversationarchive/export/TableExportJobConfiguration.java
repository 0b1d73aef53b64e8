package org.conversationarchive.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import org.conversationarchive.conversation.ConversationWalks;
import org.conversationarchive.conversation.ExportRows;
import org.conversationarchive.conversation.ExportRows.Cells;
import org.conversationarchive.storage.FileStore;
import org.conversationarchive.storage.StorageSettings;
import org.conversationarchive.system.JobHeartbeats;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.file.FlatFileItemWriter;
import org.springframework.batch.infrastructure.item.file.transform.PassThroughLineAggregator;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The table export job ({@code batch-jobs/table-export/README.md}): open a point in time
 * and count what it holds; write every row, chunk by chunk, into a part file (on the
 * object store: a segment per chunk, {@link SegmentWriter}); publish the file under its
 * name, with its link and notification. A restart resumes the row step after its last
 * committed chunk: the file is cut back to that chunk's end (the segments after it are
 * overwritten) and the reader continues after that chunk's last row, in a fresh point in
 * time (the one it read may be gone with the engine that held it).
 */
@Configuration(proxyBeanMethods = false)
class TableExportJobConfiguration {

	static final String JOB = "tableExport";

	static final String ROWS = "rows";

	@Bean
	Job tableExportJob(JobRepository jobs, Step tableExportPrepare, Step tableExportRows, Step tableExportPublish) {
		return new JobBuilder(JOB, jobs).start(tableExportPrepare)
			.next(tableExportRows)
			.next(tableExportPublish)
			.build();
	}

	@Bean
	Step tableExportPrepare(JobRepository jobs, PlatformTransactionManager transactions, ExportRuns runs) {
		return new StepBuilder("prepare", jobs).tasklet((contribution, context) -> {
			String exportId = (String) context.getStepContext().getJobParameters().get("exportId");
			ExportRuns.Snapshot snapshot = runs.openSnapshot(exportId);
			ExecutionContext job = context.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
			job.putString("pit", snapshot.pit());
			job.putLong("total", snapshot.total());
			return RepeatStatus.FINISHED;
		}, transactions).build();
	}

	@Bean
	Step tableExportRows(JobRepository jobs, PlatformTransactionManager transactions, ExportSettings settings,
			PitReader<Cells> tableExportReader, ItemProcessor<Cells, String> tableExportRow,
			ItemStreamWriter<String> tableExportWriter, ItemWriteListener<String> tableExportProgress) {
		return new StepBuilder(ROWS, jobs).<Cells, String>chunk(settings.chunkSize())
			.transactionManager(transactions)
			.reader(tableExportReader)
			.processor(tableExportRow)
			.writer(tableExportWriter)
			.listener(tableExportProgress)
			.build();
	}

	@Bean
	@StepScope
	PitReader<Cells> tableExportReader(@Value("#{jobParameters['exportId']}") String exportId,
			@Value("#{jobExecutionContext['pit']}") String pit, @Value("#{jobExecutionContext['total']}") long total,
			@Value("#{stepExecution}") StepExecution step, ExportRuns runs, ConversationWalks walks, JsonMapper json,
			ExportRows rows, ExportSettings settings, JobHeartbeats heartbeats) throws IOException {
		Query query = runs.query(exportId);
		ExportJobs.Export export = runs.export(exportId);
		return new TableRowReader(walks, json, rows, export.org(), pit, total, () -> runs.openPointInTime(export),
				settings.recovery(), heartbeats.of(step), query, settings.keepAlive(), settings.chunkSize(),
				PitReader.slicesFor(total, settings.chunkSize(), settings.readSlices()));
	}

	@Bean
	@StepScope
	ItemWriteListener<String> tableExportProgress(@Value("#{jobParameters['exportId']}") String exportId,
			PitReader<Cells> tableExportReader, ExportRuns runs) {
		return runs.progress(tableExportReader, exportId);
	}

	@Bean
	@StepScope
	ItemProcessor<Cells, String> tableExportRow(@Value("#{jobParameters['exportId']}") String exportId,
			ExportRuns runs) {
		CsvRows rows = new CsvRows(runs.plan(exportId).columns());
		return rows::row;
	}

	@Bean
	@StepScope
	ItemStreamWriter<String> tableExportWriter(@Value("#{jobParameters['exportId']}") String exportId, ExportRuns runs,
			StorageSettings storage, FileStore files, ExportFolders folders) throws IOException {
		CsvRows rows = new CsvRows(runs.plan(exportId).columns());
		if (storage.type() == StorageSettings.Type.S3) {
			// Segments in the bucket: a restart on any instance finds what was committed.
			return new SegmentWriter(files, SegmentWriter.folder(folders.file(runs.export(exportId))),
					"\uFEFF" + rows.header());
		}
		Path part = runs.partFile(exportId);
		Files.createDirectories(part.getParent());
		FlatFileItemWriter<String> writer = new FlatFileItemWriter<>(new FileSystemResource(part),
				new PassThroughLineAggregator<>());
		writer.setName("csv");
		writer.setEncoding(StandardCharsets.UTF_8.name());
		writer.setLineSeparator("\r\n");
		writer.setShouldDeleteIfExists(true);
		// Lines go to the file as they are written, not buffered until the commit; a
		// restart truncates the file to the length committed with the last chunk, so
		// nothing written after it survives.
		writer.setTransactional(false);
		// A byte order mark, so that Excel reads the file as UTF-8.
		writer.setHeaderCallback((header) -> header.write("\uFEFF" + rows.header()));
		return writer;
	}

	@Bean
	Step tableExportPublish(JobRepository jobs, PlatformTransactionManager transactions, ExportRuns runs) {
		return new StepBuilder("publish", jobs).tasklet((contribution, context) -> {
			String exportId = (String) context.getStepContext().getJobParameters().get("exportId");
			ExportRuns.RowsRead read = runs.rowsRead(context.getStepContext().getStepExecution().getJobExecution());
			if (read.segments() >= 0) {
				runs.publishSegments(exportId, read.segments(), read.written(), read.pointsInTime());
			}
			else {
				runs.publish(exportId, runs.partFile(exportId), read.written(), read.pointsInTime());
			}
			return RepeatStatus.FINISHED;
		}, transactions).build();
	}

}
