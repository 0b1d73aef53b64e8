package org.conversationarchive.web;

import java.io.IOException;
import java.util.List;

import org.conversationarchive.notifications.WebhookEvent;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.views.Views;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The org's alerts and webhooks. The pages give their forms and the lists' markup; their
 * scripts fill the lists from the alerts and webhooks APIs and send changes there, so the
 * pages hold no rule the API does not.
 */
@Controller
class SettingsPages {

	private final Views views;

	private final List<WebhookEvent> events;

	private final CurrentUser user;

	SettingsPages(Views views, List<WebhookEvent> events, CurrentUser user) {
		this.views = views;
		this.events = events;
		this.user = user;
	}

	/**
	 * Alerts on views, and when they triggered; managers add and change them.
	 */
	@GetMapping("/alerts")
	String alerts(Model model) throws IOException {
		this.user.require(Role.VIEWER, "read alerts");
		model.addAttribute("views", this.views.choices(this.user));
		return "alerts";
	}

	/**
	 * Webhook endpoints with their last deliveries, for managers.
	 */
	@GetMapping("/webhooks")
	String webhooks(Model model) {
		this.user.require(Role.MANAGER, "manage webhooks");
		model.addAttribute("events", this.events);
		return "webhooks";
	}

}
