package org.conversationarchive.system;

import java.time.Duration;

import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
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
