package org.conversationarchive.conversation;

import org.conversationarchive.conversation.Conversation.Artifact;

/**
 * Where the API serves a conversation's artifacts, for the links in its answers: the
 * media module serves them, possibly from an origin of their own, and says so here.
 */
@FunctionalInterface
public interface ArtifactLinks {

	/**
	 * The link to an artifact.
	 * @param artifact the artifact, as stored
	 * @return its URL, absolute or relative to the API's origin
	 */
	String url(Artifact artifact);

}
