package org.conversationarchive.export;

import org.conversationarchive.notifications.WebhookEvent;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What exports tell webhooks.
 */
@Configuration(proxyBeanMethods = false)
class ExportEvents {

	/**
	 * An export's file is ready: {@code data} is {@code {"exportId", "kind", "fileName",
	 * "rowCount", "downloadUrl", "expiresAt", "requestedBy", "scheduleId"}}.
	 */
	static final String READY = "export.ready";

	@Bean
	WebhookEvent exportReady() {
		return new WebhookEvent(READY,
				"An export (a table CSV, an agent's history, a scheduled export) is ready: its download link, "
						+ "valid until expiresAt");
	}

}
