package org.conversationarchive.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How batch jobs (imports, exports) run.
 *
 * @param concurrency jobs that run at the same time on one instance
 * @param staleAfter a running job whose progress (a commit, or a heartbeat of
 * {@link JobHeartbeats}) was not recorded for this long is taken for dead (its instance
 * crashed or was restarted) and restarted from its last commit
 */
@ConfigurationProperties("archive.jobs")
public record JobSettings(@DefaultValue("4") int concurrency, @DefaultValue("2m") Duration staleAfter) {
}
