package org.conversationarchive.alerts;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How alerts are evaluated.
 *
 * @param checkInterval how often each enabled alert is evaluated (by one instance,
 * whichever claims it); a breach is noticed at most this late
 */
@ConfigurationProperties("archive.alerts")
record AlertSettings(@DefaultValue("30s") Duration checkInterval) {
}
