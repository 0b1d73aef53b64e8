package org.conversationarchive.media;

import java.io.IOException;

import org.conversationarchive.conversation.ConversationDeleted;
import org.conversationarchive.storage.FileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Files leave with their conversation.
 */
@Component
class MediaCleanup {

	private static final Logger logger = LoggerFactory.getLogger(MediaCleanup.class);

	private final FileStore files;

	MediaCleanup(FileStore files) {
		this.files = files;
	}

	/**
	 * Deletes a deleted conversation's audio and artifacts. A plain listener, in the
	 * deleting request: it answers once the files are gone too (the deletion is not
	 * transactional, so a transactional module listener would never hear of it).
	 * @param deleted the conversation that was deleted
	 */
	@EventListener
	void on(ConversationDeleted deleted) {
		if (deleted.id().equals(".") || deleted.id().equals("..")) {
			// Nothing can have been attached to it (see MediaPaths).
			return;
		}
		String path = MediaPaths.conversation(deleted.org(), deleted.id());
		try {
			this.files.deleteTree(path);
		}
		catch (IOException | RuntimeException ex) {
			// The conversation is gone either way; its files are unreachable through the
			// API and can be removed by hand.
			logger.error("Could not delete the files of deleted conversation {} of org {} under {}", deleted.id(),
					deleted.org(), path, ex);
		}
	}

}
