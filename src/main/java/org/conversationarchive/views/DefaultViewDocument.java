package org.conversationarchive.views;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Which view is an org's default, as the views index holds it (document id
 * {@code org:_default}): one document, so that changing the default is one write.
 *
 * @param org the org
 * @param kind {@code default}
 * @param defaultViewId the default view's id
 * @param updatedAt when it was set
 * @param updatedBy who set it
 */
record DefaultViewDocument(String org, String kind, String defaultViewId, @Nullable Instant updatedAt,
		@Nullable String updatedBy) {

	static final String KIND = "default";

	/**
	 * Generated view ids never contain an underscore, so this cannot be a view's.
	 */
	static final String ID = "_default";

}
