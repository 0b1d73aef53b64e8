package org.conversationarchive.media;

import java.net.URI;

import org.conversationarchive.conversation.ArtifactLinks;
import org.conversationarchive.conversation.Conversation.Artifact;

import org.springframework.stereotype.Component;

/**
 * Links to artifacts: on their own origin when one is configured, so that the archive's
 * pages and an artifact never share an origin; else relative to the API.
 */
@Component
class ArtifactUrls implements ArtifactLinks {

	private final MediaSettings settings;

	ArtifactUrls(MediaSettings settings) {
		this.settings = settings;
	}

	@Override
	public String url(Artifact artifact) {
		String path = "/api/v1/artifacts/" + artifact.id();
		URI origin = this.settings.artifactOrigin();
		return (origin != null) ? origin + path : path;
	}

}
