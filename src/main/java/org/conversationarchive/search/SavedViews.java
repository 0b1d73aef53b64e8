package org.conversationarchive.search;

import java.io.IOException;

import org.conversationarchive.security.CurrentUser;

/**
 * Where a search finds the view it is asked to run ({@code view=ID}). The views module
 * keeps the views and answers; search only asks, so that it does not depend on views.
 */
public interface SavedViews {

	/**
	 * A view the user may see.
	 * @param user who asks
	 * @param id the view's id
	 * @return the view
	 * @throws org.conversationarchive.system.NotFoundException when the user's org has no
	 * such view, or it is another user's private view
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	SavedView find(CurrentUser user, String id) throws IOException;

	/**
	 * A view as its owner sees it, for work that runs without a request (schedules).
	 * @param org the org
	 * @param userId the user whose private views count too
	 * @param id the view's id
	 * @return the view
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	SavedView find(String org, String userId, String id) throws IOException;

}
