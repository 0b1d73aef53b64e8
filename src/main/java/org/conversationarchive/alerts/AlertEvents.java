package org.conversationarchive.alerts;

import org.conversationarchive.notifications.WebhookEvent;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What alerts tell webhooks. Both carry {@code {"alertId", "name", "viewId", "viewName",
 * "count", "comparison", "threshold", "window", "from", "to", "link"}}: {@code link} is
 * the conversations page with the view's filter over that window.
 */
@Configuration(proxyBeanMethods = false)
class AlertEvents {

	static final String TRIGGERED = "alert.triggered";

	static final String RESOLVED = "alert.resolved";

	@Bean
	WebhookEvent alertTriggered() {
		return new WebhookEvent(TRIGGERED,
				"An alert's view had more (or fewer) conversations in its window than its threshold; "
						+ "sent once per breach");
	}

	@Bean
	WebhookEvent alertResolved() {
		return new WebhookEvent(RESOLVED, "A triggered alert's count is back within its threshold");
	}

}
