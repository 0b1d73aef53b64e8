package org.conversationarchive.system;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
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
	 * The application's JSON takes each value only in its own JSON type.
	 * @return the customizer
	 */
	@Bean
	JsonMapperBuilderCustomizer strictJsonTypes() {
		return JsonCoercion::refuse;
	}

	/**
	 * The servlet container's error page as a problem for the API.
	 * @param attributes what Boot knows of the error
	 * @param web where its error settings are
	 * @param resolvers the pages' error views
	 * @param json the application's JSON
	 * @return the error controller, in place of Boot's
	 */
	@Bean
	ProblemErrorController problemErrorController(ErrorAttributes attributes, WebProperties web,
			ObjectProvider<ErrorViewResolver> resolvers, JsonMapper json) {
		return new ProblemErrorController(attributes, web.getError(), resolvers.orderedStream().toList(), json);
	}

	/**
	 * Every job reports its failure as {@link JobFailures} says.
	 * @return the post-processor that registers it with each job
	 */
	@Bean
	static BeanPostProcessor jobFailureReports() {
		JobFailures failures = new JobFailures();
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof AbstractJob job) {
					job.registerJobExecutionListener(failures);
				}
				return bean;
			}

		};
	}

	/**
	 * Tomcat's own error answers as problems.
	 * @param json the application's JSON
	 * @return the customizer
	 */
	@Bean
	ProblemErrorReports problemErrorReports(JsonMapper json) {
		return new ProblemErrorReports(json);
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
