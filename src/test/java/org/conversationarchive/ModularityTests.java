package org.conversationarchive;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every direct sub-package is a module: no cycles, nobody reaches into another module's
 * internals. Also writes the module documentation to target/spring-modulith-docs.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(ConversationArchiveApplication.class);

	@Test
	void modulesAreWellFormed() {
		this.modules.verify();
	}

	@Test
	void writesModuleDocumentation() {
		Documenter documenter = new Documenter(this.modules);
		documenter.writeDocumentation();
		assertThat(Path.of("target/spring-modulith-docs/components.puml")).isNotEmptyFile();
	}

}
