package org.conversationarchive.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How analytics are counted.
 *
 * @param countedContacts the busiest contacts whose conversations the repeat-contacts
 * figure counts one by one, at most 65,000 (Elasticsearch answers at most 65,535 buckets
 * a search). Each costs time in every answer (about 15 µs); the contacts beyond are told
 * from their total conversations and the number of contacts (see {@link RepeatContacts})
 */
@ConfigurationProperties("archive.analytics")
record AnalyticsSettings(@DefaultValue("10000") int countedContacts) {

	AnalyticsSettings {
		if (countedContacts < 1 || countedContacts > 65_000) {
			throw new IllegalArgumentException("archive.analytics.counted-contacts must be between 1 and 65000");
		}
	}

}
