package org.conversationarchive.notifications;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How in-app notifications are served.
 *
 * @param streamPoll how often a notification stream looks for new notifications (they are
 * in the database, so a stream sees those added on any instance)
 */
@ConfigurationProperties("archive.notifications")
record NotificationSettings(@DefaultValue("2s") Duration streamPoll) {
}
