package org.conversationarchive.media;

import java.time.Duration;

import org.conversationarchive.system.ArchiveSettings;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where media files are kept.
 */
@Configuration(proxyBeanMethods = false)
class MediaConfiguration {

	/**
	 * Call recordings and artifacts on the local disk, under the data directory.
	 * @param settings where the data directory is
	 * @return the file store
	 */
	@Bean
	FileStore fileStore(ArchiveSettings settings) {
		return new LocalFileStore(settings.dataDir(), Duration.ofMinutes(10));
	}

}
