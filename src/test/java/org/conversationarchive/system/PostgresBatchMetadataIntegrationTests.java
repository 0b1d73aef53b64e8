package org.conversationarchive.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.conversationarchive.ArchiveIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Production keeps batch metadata in PostgreSQL ({@code SPRING_DATASOURCE_URL}). Runs
 * where a PostgreSQL answers at 127.0.0.1:5432 (the project's machines), in a schema of
 * its own; skipped elsewhere.
 */
@EnabledIf("postgresAvailable")
@ArchiveIntegrationTest(properties = {
		"spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/test?currentSchema="
				+ PostgresBatchMetadataIntegrationTests.SCHEMA,
		"spring.datasource.username=postgres", "spring.datasource.password=",
		"spring.flyway.default-schema=" + PostgresBatchMetadataIntegrationTests.SCHEMA })
class PostgresBatchMetadataIntegrationTests extends BatchMetadataContract {

	static final String SCHEMA = "archive_batch_metadata_test";

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	static boolean postgresAvailable() {
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	@BeforeAll
	static void freshSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists " + SCHEMA + " cascade");
		}
	}

	@Override
	String vendor() {
		return "postgresql";
	}

}
