package org.conversationarchive.system;

import java.time.Duration;
import java.time.Instant;

import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Cross-cutting beans.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SystemConfiguration {

	/**
	 * Files of the archive's own (media, exports) on the local disk, under the data
	 * directory.
	 * @param settings where the data directory is
	 * @return the file store
	 */
	@Bean
	FileStore fileStore(ArchiveSettings settings) {
		return new LocalFileStore(settings.dataDir(), Duration.ofMinutes(10));
	}

	/**
	 * The application's JSON, with the fast reading of instants.
	 * @return the customizer
	 */
	@Bean
	JsonMapperBuilderCustomizer fastInstants() {
		return (builder) -> builder
			.addModule(new SimpleModule("archive-instants").addDeserializer(Instant.class, new Instants()));
	}

	/**
	 * Batch jobs run in the background, so the API answers {@code 202} at once; a few at
	 * a time, each on a virtual thread.
	 * @param settings job settings
	 * @return the executor of batch jobs
	 */
	@Bean
	@BatchTaskExecutor
	TaskExecutor batchTaskExecutor(JobSettings settings) {
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("batch-");
		executor.setVirtualThreads(true);
		executor.setConcurrencyLimit(settings.concurrency());
		return executor;
	}

}
