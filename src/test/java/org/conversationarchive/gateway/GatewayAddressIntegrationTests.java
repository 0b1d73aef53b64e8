package org.conversationarchive.gateway;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.OrgApi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Internal addresses refused for the agent platform, as configured by default (the other
 * tests' contexts allow them, their platforms being on this machine). In the problem
 * responses tests' context, which keeps the default.
 */
@ArchiveIntegrationTest(properties = { "archive.elasticsearch.index-prefix=problem-responses",
		"archive.gateway.allow-private-addresses=false" })
class GatewayAddressIntegrationTests {

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@Test
	void internalAddressesAreRefusedNamingThem() {
		// As the default org's administrator: this context has no test users.
		OrgApi api = new OrgApi(this.http, this.json, "default");
		assertThat(GatewayPlatformIntegrationTests.refusal(api, "http://127.0.0.1:9200/actions"))
			.contains("'127.0.0.1' is a loopback address")
			.contains("ARCHIVE_GATEWAY_ALLOW_PRIVATE_ADDRESSES");
		assertThat(GatewayPlatformIntegrationTests.refusal(api, "http://169.254.169.254/latest/meta-data"))
			.contains("'169.254.169.254' is a link-local address");
		assertThat(GatewayPlatformIntegrationTests.refusal(api, "http://10.1.2.3/actions"))
			.contains("'10.1.2.3' is a private address");
		assertThat(GatewayPlatformIntegrationTests.refusal(api, "ftp://203.0.113.10/actions"))
			.contains("must be an http or https URL");
	}

}
