package org.conversationarchive.storage;

import java.io.IOException;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, in the background, removes what writes that died with an instance left
 * behind: temporary files on the local disk, unfinished multipart uploads in a bucket.
 */
@Component
class AbandonedWrites {

	private static final Logger logger = LoggerFactory.getLogger(AbandonedWrites.class);

	/** The store's areas: recordings and artifacts, exports, imports. */
	private static final List<String> AREAS = List.of("media", "exports", "imports");

	private final FileStore files;

	AbandonedWrites(FileStore files) {
		this.files = files;
	}

	@EventListener(ApplicationReadyEvent.class)
	void removeAbandonedWrites() {
		Thread.ofVirtual().name("abandoned-writes").start(() -> {
			for (String area : AREAS) {
				try {
					int removed = this.files.removeAbandonedWrites(area);
					if (removed > 0) {
						logger.info("Removed {} files left under {}/ by writes that did not finish", removed, area);
					}
				}
				catch (IOException | RuntimeException ex) {
					logger.warn("Could not look for files left under {}/ by writes that did not finish: {}", area,
							ex.toString());
				}
			}
		});
	}

}
