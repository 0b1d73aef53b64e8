package org.conversationarchive.export;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * How exports run.
 *
 * @param chunkSize rows read and written per committed chunk (a restart resumes after the
 * last one)
 * @param pointInTime how long Elasticsearch keeps an export's snapshot between two pages
 * @param linkValidity how long a download link works; the file is removed after
 * @param schedules the folder of declarative schedules ({@code *.json})
 * @param publicUrl the service's address in download links (e.g.
 * {@code https://archive.example.com}); by default the address a request came to
 * @param readSlices slices of the point in time a large export reads side by side (1: no
 * slicing)
 * @param recovery how long an export whose reads fail (a lost node, a restarted engine)
 * keeps resuming on fresh points in time without reading a row before it fails: at most
 * half of {@code archive.jobs.stale-after}
 */
@ConfigurationProperties("archive.exports")
public record ExportSettings(@DefaultValue("5000") int chunkSize, @DefaultValue("30m") Duration pointInTime,
		@DefaultValue("24h") Duration linkValidity, @DefaultValue("batch-jobs/schedules") Path schedules,
		@org.jspecify.annotations.Nullable String publicUrl, @DefaultValue("2") int readSlices,
		@DefaultValue("1m") Duration recovery) {

	/**
	 * How long Elasticsearch keeps a point in time between two pages, as a request says
	 * it.
	 * @return the keep-alive, e.g. {@code 1800s}
	 */
	public String keepAlive() {
		return this.pointInTime.toSeconds() + "s";
	}

	/**
	 * Refuses to wait out a failing Elasticsearch so long that the export's job could be
	 * taken for dead meanwhile and started again beside itself: a wait tells the job's
	 * heartbeat, but a request under way does not, so the wait stays well within it.
	 * @param staleAfter how long a job may go without recorded progress
	 * ({@code archive.jobs.stale-after})
	 * @throws InvalidConfigurationPropertyValueException when {@code recovery} is more
	 * than half of it
	 */
	void requireRecoveryWithin(Duration staleAfter) {
		if (this.recovery.compareTo(staleAfter.dividedBy(2)) > 0) {
			throw new InvalidConfigurationPropertyValueException("archive.exports.recovery", this.recovery,
					"ARCHIVE_EXPORTS_RECOVERY must be at most half of ARCHIVE_JOBS_STALE_AFTER (" + staleAfter
							+ "), so that an export waiting out a lost node is never taken for a dead job "
							+ "and started again beside itself; shorten it, or lengthen ARCHIVE_JOBS_STALE_AFTER");
		}
	}

}
