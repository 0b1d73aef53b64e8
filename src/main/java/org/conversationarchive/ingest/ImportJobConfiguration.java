package org.conversationarchive.ingest;

import java.nio.file.Path;

import org.conversationarchive.conversation.ConversationWriter;
import org.conversationarchive.storage.FileStore;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.ExecutionContextPromotionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The import job: reads a conversation file (NDJSON or an agent history CSV) in chunks,
 * writes the valid conversations and reports the refused lines. See
 * {@code batch-jobs/import/README.md}.
 */
@Configuration(proxyBeanMethods = false)
class ImportJobConfiguration {

	static final String JOB = "conversationImport";

	static final String STEP = "import";

	@Bean
	Job conversationImportJob(JobRepository jobs, Step conversationImportStep, ConversationWriter writer,
			PlatformTransactionManager transactions) {
		// A completed import is searchable at once: one refresh of every index it wrote
		// to, as a bulk's, which fails (and can be restarted) when a shard cannot be
		// refreshed.
		Step refresh = new StepBuilder("refresh", jobs).tasklet((contribution, context) -> {
			ExecutionContext job = contribution.getStepExecution().getJobExecution().getExecutionContext();
			writer.refresh(ImportWriter.indices(job));
			return RepeatStatus.FINISHED;
		}, transactions).build();
		return new JobBuilder(JOB, jobs).start(conversationImportStep).next(refresh).build();
	}

	@Bean
	Step conversationImportStep(JobRepository jobs, PlatformTransactionManager transactions,
			ItemStreamReader<ImportRecord> importReader, ImportWriter importWriter, IngestSettings settings) {
		// The indices written, for the refresh step (and its restart) to find.
		ExecutionContextPromotionListener written = new ExecutionContextPromotionListener();
		written.setKeys(new String[] { ImportWriter.INDICES });
		return new StepBuilder(STEP, jobs).<ImportRecord, ImportRecord>chunk(settings.batchSize())
			.transactionManager(transactions)
			.reader(importReader)
			.writer(importWriter)
			.listener(written)
			.build();
	}

	@Bean
	@StepScope
	ItemStreamReader<ImportRecord> importReader(@Value("#{jobParameters['file']}") String file,
			@Value("#{jobParameters['format']}") String format, @Value("#{jobParameters['agentId']}") String agentId,
			ConversationParser parser, ConversationValidator validator, IngestSettings settings, JsonMapper json,
			FileStore files) {
		// A path in the file store; an import uploaded before there was one names its
		// file on the local disk.
		Resource input = Path.of(file).isAbsolute() ? new FileSystemResource(file) : files.resource(file);
		return switch (ImportFormat.of(format)) {
			case NDJSON -> new NdjsonImportReader(input, parser, settings.maxLineSize().toBytes());
			case HISTORY_CSV -> new HistoryCsvImportReader(input, agentId, validator, json);
		};
	}

	@Bean
	@StepScope
	ImportWriter importWriter(@Value("#{jobParameters['importId']}") String importId,
			@Value("#{jobParameters['org']}") String org, ConversationWriter writer, JdbcTemplate jdbc) {
		return new ImportWriter(writer, jdbc, importId, org);
	}

}
