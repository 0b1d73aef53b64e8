package org.conversationarchive.system;

import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default keeps batch metadata in an H2 file database under the data
 * directory.
 */
@ArchiveIntegrationTest
class H2BatchMetadataIntegrationTests extends BatchMetadataContract {

	@Value("${archive.data-dir}")
	String dataDir;

	@Test
	void theDatabaseIsAnH2FileUnderTheDataDirectory() {
		String url = this.jdbc.execute((java.sql.Connection connection) -> connection.getMetaData().getURL());
		assertThat(url).startsWith("jdbc:h2:file:" + this.dataDir);
		assertThat(java.nio.file.Path.of(this.dataDir, "db", "archive.mv.db")).exists();
	}

	@Override
	String vendor() {
		return "h2";
	}

}
