package org.conversationarchive.system;

/**
 * Work of a batch step that goes on long between commits (a tasklet that writes a whole
 * file, a reader waiting out a lost node) saying that it is still alive, so that
 * {@link JobRecovery} does not take its job for dead and start it again beside itself.
 */
@FunctionalInterface
public interface Heartbeat {

	/**
	 * For work that no job runs.
	 */
	Heartbeat NONE = () -> {
	};

	/**
	 * Says that the work is alive. Cheap enough to call for every item: only some calls
	 * are recorded.
	 */
	void beat();

}
