package org.conversationarchive.export;

import org.conversationarchive.system.JobHeartbeats;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The agent history job ({@code batch-jobs/agent-history/README.md}): one step that
 * writes the year's zip and publishes it. A restart writes it again from the start, so
 * the zip is always whole.
 */
@Configuration(proxyBeanMethods = false)
class AgentHistoryJobConfiguration {

	static final String JOB = "agentHistory";

	@Bean
	Job agentHistoryJob(JobRepository jobs, PlatformTransactionManager transactions, AgentHistories histories,
			JobHeartbeats heartbeats) {
		// One go with no commit before its end: the step says it is alive as it reads.
		Step history = new StepBuilder("history", jobs).tasklet((contribution, context) -> {
			histories.write((String) context.getStepContext().getJobParameters().get("exportId"),
					heartbeats.of(contribution.getStepExecution()));
			return RepeatStatus.FINISHED;
		}, transactions).build();
		return new JobBuilder(JOB, jobs).start(history).build();
	}

}
