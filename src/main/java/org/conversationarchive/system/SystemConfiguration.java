package org.conversationarchive.system;

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
