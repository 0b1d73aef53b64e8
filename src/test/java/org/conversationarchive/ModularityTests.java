package org.conversationarchive;

import java.nio.file.Path;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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

	/**
	 * The conversations and contacts indices have one owner: other modules read and write
	 * them through its API, and only the engine's plumbing and the views (their own
	 * index) send Elasticsearch requests. Elasticsearch's errors and the query DSL, which
	 * say what to ask, may be used anywhere.
	 */
	@Test
	void onlyTheIndicesOwnersTalkToElasticsearch() {
		JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("org.conversationarchive");
		noClasses().that()
			.resideOutsideOfPackages("org.conversationarchive.conversation..",
					"org.conversationarchive.elasticsearch..", "org.conversationarchive.views..")
			.should()
			.dependOnClassesThat(sendElasticsearchRequests())
			.check(classes);
	}

	/**
	 * The clients (the typed client and its namespaces) and the transport under them, but
	 * not the transport's error.
	 */
	private static DescribedPredicate<JavaClass> sendElasticsearchRequests() {
		return DescribedPredicate.describe("send Elasticsearch requests",
				(type) -> (type.getPackageName().startsWith("co.elastic.clients.elasticsearch")
						&& type.getSimpleName().matches("Elasticsearch\\w*(Async)?Client"))
						|| (type.getPackageName().startsWith("co.elastic.clients.transport")
								&& !type.getName().equals("co.elastic.clients.transport.TransportException"))
						|| type.getPackageName().startsWith("org.elasticsearch.client"));
	}

}
