package org.conversationarchive.alerts;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.conversationarchive.conversation.ConversationSearches;
import org.conversationarchive.export.ExportSettings;
import org.conversationarchive.notifications.Notifications;
import org.conversationarchive.notifications.Webhooks;
import org.conversationarchive.search.AppliedView;
import org.conversationarchive.search.ConversationQueries;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterParameters;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.system.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;

/**
 * Evaluates alerts when they are due. Every instance looks; the one that claims an
 * evaluation in the database counts the view's conversations started in the window (the
 * view's filter AND {@code startedAt} in {@code [now - window, now)}, as the table shows
 * the view over those times), and a change of state is made once: a breach is told once
 * (in the app to the alert's owner, and {@code alert.triggered} to webhooks), and the
 * return within the threshold once ({@code alert.resolved}), which makes the next breach
 * told again.
 */
@Component
class AlertEvaluator {

	private static final Logger logger = LoggerFactory.getLogger(AlertEvaluator.class);

	/** The longest link a notification takes. */
	private static final int MAX_NOTIFICATION_LINK = 2000;

	/** The longest link the history keeps. */
	private static final int MAX_LINK = 8000;

	private final Alerts alerts;

	private final ConversationQueries queries;

	private final ConversationSearches searches;

	private final Notifications notifications;

	private final Webhooks webhooks;

	private final AlertSettings settings;

	private final ExportSettings links;

	AlertEvaluator(Alerts alerts, ConversationQueries queries, ConversationSearches searches,
			Notifications notifications, Webhooks webhooks, AlertSettings settings, ExportSettings links) {
		this.alerts = alerts;
		this.queries = queries;
		this.searches = searches;
		this.notifications = notifications;
		this.webhooks = webhooks;
		this.settings = settings;
		this.links = links;
	}

	@Scheduled(initialDelayString = "${archive.alerts.check-interval:30s}",
			fixedDelayString = "${archive.alerts.check-interval:30s}")
	void evaluateDue() {
		evaluateDue(Instant.now());
	}

	/**
	 * Evaluates every enabled alert due at a time that this instance claims first.
	 * @param now the time evaluated at
	 * @return the ids of the alerts this instance evaluated
	 */
	List<String> evaluateDue(Instant now) {
		List<String> evaluated = new ArrayList<>();
		for (Alerts.Alert alert : this.alerts.due(now)) {
			if (this.alerts.claim(alert.org(), alert.id(), now, now.plus(this.settings.checkInterval()))) {
				evaluate(alert, now);
				evaluated.add(alert.id());
			}
		}
		return evaluated;
	}

	private void evaluate(Alerts.Alert alert, Instant now) {
		Instant from = now.minus(alert.windowLength());
		SavedView view;
		long count;
		try {
			view = this.alerts.view(alert);
			List<Filter> filters = AppliedView.of(view, Filter.ALL.between(from, now), null, null).filters();
			count = this.searches
				.aggregate(alert.org(),
						List.of(new ConversationSearches.Aggregating(this.queries.filter(alert.org(), filters),
								Map.of())))
				.get(0)
				.total();
		}
		catch (NotFoundException ex) {
			fail(alert, now, "the view '" + alert.viewId() + "' no longer exists (or its owner no longer sees it)");
			return;
		}
		catch (IOException | RuntimeException ex) {
			fail(alert, now, "the count failed: " + ex.getMessage());
			return;
		}
		boolean breached = alert.breachedBy(count);
		if (!this.alerts.evaluated(alert, now, count, breached ? Alerts.BREACHED : Alerts.OK)) {
			// No change (a new alert starts as ok): nothing to tell.
			return;
		}
		String link = link(view, from, now);
		Alerts.Event event = this.alerts.record(alert, now, breached ? "triggered" : "resolved", count, from, now,
				(link.length() <= MAX_LINK) ? link : viewLink(view));
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("alertId", alert.id());
		data.put("name", alert.name());
		data.put("viewId", view.id());
		data.put("viewName", view.name());
		data.put("count", count);
		data.put("comparison", alert.comparison());
		data.put("threshold", alert.threshold());
		data.put("window", alert.window());
		data.put("from", from.toString());
		data.put("to", now.toString());
		data.put("link", link);
		this.webhooks.publish(alert.org(), breached ? AlertEvents.TRIGGERED : AlertEvents.RESOLVED, data);
		if (breached) {
			this.notifications.notify(alert.org(), alert.owner(), message(alert, view, count),
					(link.length() <= MAX_NOTIFICATION_LINK) ? link : viewLink(view));
		}
		logger.info("Alert {} of org {} {}: {} conversations in {} ({} {})", alert.id(), alert.org(), event.kind(),
				count, alert.window(), alert.comparison(), alert.threshold());
	}

	private void fail(Alerts.Alert alert, Instant now, String error) {
		if (!error.equals(alert.lastError())) {
			logger.warn("Alert {} of org {} could not be evaluated: {}", alert.id(), alert.org(), error);
		}
		this.alerts.failed(alert, now, error);
	}

	private static String message(Alerts.Alert alert, SavedView view, long count) {
		return "Alert \u201c" + alert.name() + "\u201d: " + count + ((count == 1) ? " conversation" : " conversations")
				+ " of \u201c" + view.name() + "\u201d started in the last " + human(alert.windowLength()) + ", "
				+ ((alert.above() != null) ? "more" : "fewer") + " than " + alert.threshold() + ".";
	}

	private static String human(Duration window) {
		if (window.toDaysPart() > 0 && window.equals(Duration.ofDays(window.toDays()))) {
			return (window.toDays() == 1) ? "day" : window.toDays() + " days";
		}
		if (window.equals(Duration.ofHours(window.toHours()))) {
			return (window.toHours() == 1) ? "hour" : window.toHours() + " hours";
		}
		return (window.toMinutes() == 1) ? "minute" : window.toMinutes() + " minutes";
	}

	/**
	 * The conversations page with the view over the window: the view, and its filter in
	 * the URL with the window's times (within the view's own, if it has a range), as the
	 * page takes a filter in the URL in place of the view's.
	 */
	String link(SavedView view, Instant from, Instant to) {
		Filter filter = view.filter();
		Instant start = (filter.from() != null && filter.from().isAfter(from)) ? filter.from() : from;
		Instant end = (filter.to() != null && filter.to().isBefore(to)) ? filter.to() : to;
		if (end.isBefore(start)) {
			end = start;
		}
		MultiValueMap<String, String> parameters = FilterParameters.of(filter.between(start, end));
		StringBuilder link = new StringBuilder(base()).append("/?view=").append(encode(view.id()));
		parameters.forEach((name, values) -> values
			.forEach((value) -> link.append('&').append(encode(name)).append('=').append(encode(value))));
		return link.toString();
	}

	private String viewLink(SavedView view) {
		return base() + "/?view=" + encode(view.id());
	}

	private String base() {
		String url = this.links.publicUrl();
		return (url != null && !url.isBlank()) ? url.replaceAll("/+$", "") : "";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
