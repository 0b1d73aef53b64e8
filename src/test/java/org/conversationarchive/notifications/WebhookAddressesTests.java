package org.conversationarchive.notifications;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where a manager may point a webhook: not at the inside of the network the archive runs
 * in, however the address is written or resolved.
 */
class WebhookAddressesTests {

	private final WebhookAddresses addresses = new WebhookAddresses(false);

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/hook", "http://2130706433/", "http://localhost/", "http://[::1]/",
			"http://0.0.0.0/", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
			"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[fe80::1]/",
			"http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a00:1]/",
			"http://[2002:7f00:1::]/", "http://100.64.0.1/", "http://224.0.0.1/", "http://255.255.255.255/" })
	void internalAddressesAreRefusedNamingTheUrl(String url) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> this.addresses.check(url))
			.withMessageStartingWith("url: '")
			.withMessageContaining("webhooks go to public addresses");
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "/relative",
			"https://user:password@example.com/", "https://example.com/#fragment", "https:///nohost",
			"http://127.1:8080/", "not a url", "" })
	void onlyAbsoluteHttpUrlsWithoutCredentialsAreTaken(String url) {
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> WebhookAddresses.parse(url))
			.withMessageStartingWith("url");
	}

	@Test
	void anEndpointTheServiceRunsIsTrustedAtItsAddressAndPortOnly() throws Exception {
		WebhookAddresses addresses = new WebhookAddresses(false, "actions go",
				"ARCHIVE_GATEWAY_ALLOW_PRIVATE_ADDRESSES");
		addresses.trust(URI.create("http://127.0.0.1:41234/actions"));

		assertThat(addresses.refusal(URI.create("http://127.0.0.1:41234/listen/abc"))).isNull();
		assertThat(addresses.resolver().resolve("127.0.0.1", 41234))
			.containsExactly(new InetSocketAddress("127.0.0.1", 41234));
		assertThat(addresses.refusal(URI.create("http://127.0.0.1:41235/actions"))).contains("a loopback address");
		assertThat(addresses.refusal(URI.create("http://127.0.0.1/actions"))).contains("a loopback address");
		assertThatExceptionOfType(WebhookAddresses.RefusedAddressException.class)
			.isThrownBy(() -> addresses.resolver().resolve("127.0.0.1", 41235));
		assertThatExceptionOfType(WebhookAddresses.RefusedAddressException.class)
			.isThrownBy(() -> addresses.resolver().resolve("localhost", 41234));
		assertThatExceptionOfType(InvalidInputException.class)
			.isThrownBy(() -> addresses.check("http://127.0.0.1:41234/actions"));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> addresses.trust(URI.create("http://localhost:41234/actions")));

		addresses.distrust(URI.create("http://127.0.0.1:41234/actions"));
		assertThat(addresses.refusal(URI.create("http://127.0.0.1:41234/actions"))).contains("a loopback address");
	}

	@Test
	void aPublicAddressIsTaken() {
		assertThat(this.addresses.check("https://93.184.215.14:8443/hooks?token=x"))
			.isEqualTo(URI.create("https://93.184.215.14:8443/hooks?token=x"));
		assertThat(this.addresses.check("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/")).isNotNull();
	}

	@Test
	void aSavedLiteralAddressIsCheckedAgainBeforeSending() {
		assertThat(this.addresses.refusal(URI.create("http://169.254.169.254/"))).contains("link-local");
		assertThat(this.addresses.refusal(URI.create("http://93.184.215.14/"))).isNull();
		// A name is checked where it is resolved, by the connection's resolver.
		assertThat(this.addresses.refusal(URI.create("http://localhost/"))).isNull();
	}

	@Test
	void theConnectionsResolverRefusesANameResolvingInside() throws UnknownHostException {
		assertThatExceptionOfType(WebhookAddresses.RefusedAddressException.class)
			.isThrownBy(() -> this.addresses.resolver().resolve("localhost"))
			.withMessageContaining("'localhost' resolves to")
			.withMessageContaining("loopback");
		assertThatExceptionOfType(WebhookAddresses.RefusedAddressException.class)
			.isThrownBy(() -> this.addresses.resolver().resolve("localhost", 80));
		assertThat(new WebhookAddresses(true).resolver().resolve("localhost"))
			.contains(InetAddress.getByName("localhost"));
	}

	@Test
	void theSettingAllowsInternalAddresses() {
		WebhookAddresses allowing = new WebhookAddresses(true);
		assertThat(allowing.check("http://127.0.0.1:8080/hook")).isEqualTo(URI.create("http://127.0.0.1:8080/hook"));
		assertThat(allowing.refusal(URI.create("http://[::1]/"))).isNull();
	}

}
