package org.conversationarchive.system;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by every module.
 *
 * @param dataDir where the archive keeps everything it stores locally: the embedded
 * engine's data, the H2 database, media and export files ({@code ARCHIVE_DATA_DIR})
 */
@ConfigurationProperties("archive")
public record ArchiveSettings(@DefaultValue("./data") Path dataDir) {

	public ArchiveSettings {
		dataDir = dataDir.toAbsolutePath().normalize();
	}

}
