package org.conversationarchive.search;

import org.conversationarchive.conversation.Environment;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Stored filters of older versions read as the current filter model.
 */
class FilterVersionsTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void versionZeroQueryStringSpellingsBecomeTheJsonForm() {
		Filter filter = read("""
				{"env": ["production", "test"], "tag": ["Call Reason:billing", "Language: en"], "tagMatch": "any",
				 "platforms": ["voice"]}""", 0);
		assertThat(filter.environments()).containsExactly(Environment.PRODUCTION, Environment.TEST);
		assertThat(filter.tags().match()).isEqualTo(Filter.TagMatch.ANY);
		assertThat(filter.tags().pairs()).containsExactly(new Filter.Pair("Call Reason", "billing"),
				new Filter.Pair("Language", "en"));
		assertThat(filter.platforms()).hasSize(1);
	}

	@Test
	void singleValuesOfVersionZeroAreAcceptedToo() {
		Filter filter = read("{\"env\": \"test\", \"tag\": \"Issue:*\"}", 0);
		assertThat(filter.environments()).containsExactly(Environment.TEST);
		assertThat(filter.tags().match()).isNull();
		assertThat(filter.tags().pairs()).containsExactly(new Filter.Pair("Issue", "*"));
	}

	@Test
	void theCurrentVersionIsReadAsItIs() {
		String current = "{\"environments\": [\"production\"], \"tags\": {\"pairs\": [{\"key\": \"k\", \"value\": \"v\"}]}}";
		Filter filter = read(current, FilterVersions.FILTER_VERSION);
		assertThat(filter.environments()).containsExactly(Environment.PRODUCTION);
		assertThat(filter).isEqualTo(Filter.read(this.json, current.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(read("{}", FilterVersions.FILTER_VERSION)).isEqualTo(Filter.ALL);
	}

	@Test
	void aMigratedFilterIsTheCurrentJsonForm() {
		ObjectNode migrated = FilterVersions.migrate((ObjectNode) this.json.readTree("{\"env\": \"test\"}"), 0);
		assertThat(migrated.toString()).isEqualTo("{\"environments\":[\"test\"]}");
	}

	@Test
	void whatCannotBeReadIsRefusedWithTheReason() {
		assertThatIllegalStateException().isThrownBy(() -> read("{}", FilterVersions.FILTER_VERSION + 1))
			.withMessageContaining("newer than this service's");
		assertThatIllegalStateException().isThrownBy(() -> read("{\"tag\": \"no-colon\"}", 0))
			.withMessageContaining("tag 'no-colon' is not key:value");
		assertThatIllegalStateException().isThrownBy(() -> read("{\"env\": \"staging\"}", 0))
			.withMessageContaining("unknown environment 'staging'");
		// A version-0 spelling in a current-version document is not silently accepted.
		assertThatIllegalStateException().isThrownBy(() -> read("{\"env\": \"test\"}", FilterVersions.FILTER_VERSION))
			.withMessageContaining("env");
	}

	private Filter read(String stored, int version) {
		return FilterVersions.read(this.json, this.json.readTree(stored), version);
	}

}
