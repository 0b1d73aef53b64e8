package org.conversationarchive.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PageSettingsTests {

	@Test
	void theFlowLinkPutsTheFlowAndTheOrgInItsTemplateEncoded() {
		PageSettings settings = new PageSettings("https://studio.example.com/o/{org}/flows/{flowId}");
		assertThat(settings.flow("acme", "billing v2/é"))
			.isEqualTo("https://studio.example.com/o/acme/flows/billing%20v2%2F%C3%A9");
		assertThat(settings.flow("acme", null)).isNull();
	}

	@Test
	void withoutATemplateThereIsNoLink() {
		assertThat(new PageSettings(null).flow("acme", "billing")).isNull();
		assertThat(new PageSettings(" ").flowLink()).isNull();
	}

	@Test
	void aTemplateThatCannotLinkAFlowStopsTheStart() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PageSettings("https://studio.example.com/flows"))
			.withMessageContaining("{flowId}");
		assertThatIllegalArgumentException().isThrownBy(() -> new PageSettings("javascript:alert({flowId})"))
			.withMessageContaining("http(s)");
		assertThatIllegalArgumentException().isThrownBy(() -> new PageSettings("/flows/{flowId}"))
			.withMessageContaining("http(s)");
	}

}
