package org.conversationarchive.review;

import java.util.LinkedHashMap;
import java.util.Map;

import org.conversationarchive.notifications.Notifications;
import org.conversationarchive.notifications.WebhookEvent;
import org.conversationarchive.notifications.Webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * What a rule that notifies tells when it flags a conversation: its owner in the app, and
 * the org's webhooks as {@code rule.flagged}. Both only record (the webhook's delivery is
 * an outbox row), so an unreachable endpoint never slows the rules down.
 */
@Configuration(proxyBeanMethods = false)
class RuleNotices {

	static final String FLAGGED = "rule.flagged";

	private final Notifications notifications;

	private final Webhooks webhooks;

	RuleNotices(Notifications notifications, Webhooks webhooks) {
		this.notifications = notifications;
		this.webhooks = webhooks;
	}

	@Bean
	static WebhookEvent ruleFlagged() {
		return new WebhookEvent(FLAGGED,
				"A review rule that notifies flagged a conversation; once per rule and " + "conversation");
	}

	@EventListener
	void on(RuleFlagged flagged) {
		String link = "/conversations/" + flagged.conversationId();
		this.notifications.notify(flagged.org(), flagged.owner(), "Rule \"" + flagged.ruleName()
				+ "\" flagged conversation " + flagged.conversationId() + ": " + flagged.reason(), link);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("ruleId", flagged.ruleId());
		data.put("ruleName", flagged.ruleName());
		data.put("conversationId", flagged.conversationId());
		data.put("reason", flagged.reason());
		data.put("severity", flagged.severity());
		data.put("at", flagged.at().toString());
		data.put("link", link);
		this.webhooks.publish(flagged.org(), FLAGGED, data);
	}

}
