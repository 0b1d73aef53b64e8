package org.conversationarchive.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the pages link to outside the archive.
 *
 * @param flowLink where "View Flow" opens a conversation's flow in the agent platform's
 * flow editor: an http(s) URL with {@code {flowId}} in it (and optionally {@code {org}}),
 * e.g. {@code https://studio.example.com/flows/{flowId}}; unset, the pages show no such
 * link
 */
@ConfigurationProperties("archive.pages")
record PageSettings(@Nullable String flowLink) {

	PageSettings {
		if (flowLink != null && !flowLink.isBlank()) {
			String example = flowLink.replace("{flowId}", "f").replace("{org}", "o");
			URI uri;
			try {
				uri = URI.create(example);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("archive.pages.flow-link: '" + flowLink + "' is not a URL", ex);
			}
			if (!flowLink.contains("{flowId}") || uri.getHost() == null
					|| !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
				throw new IllegalArgumentException("archive.pages.flow-link: '" + flowLink
						+ "' must be an http(s) URL with {flowId} in it, e.g. https://studio.example.com/flows/{flowId}");
			}
		}
		else {
			flowLink = null;
		}
	}

	/**
	 * The link to a flow in the flow editor.
	 * @param org the org the flow belongs to
	 * @param flowId the flow's id
	 * @return the URL, or {@code null} when no link is configured
	 */
	@Nullable String flow(String org, @Nullable String flowId) {
		if (this.flowLink == null || flowId == null) {
			return null;
		}
		return this.flowLink.replace("{flowId}", encode(flowId)).replace("{org}", encode(org));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
