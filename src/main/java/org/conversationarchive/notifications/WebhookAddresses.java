package org.conversationarchive.notifications;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * Where webhooks may go. A manager of any org names the URL, and the archive connects to
 * it from inside the network it runs in: without this, an endpoint could be the cloud's
 * metadata service (its credentials), the archive's own Elasticsearch or database, or
 * anything else only reachable from inside, with the delivery log telling what answered.
 * So only {@code http} and {@code https} URLs are taken, and an address that is not
 * public is refused, unless {@code archive.webhooks.allow-private-addresses} is set: when
 * the endpoint is saved (to say so at once), and when it is connected to, on the very
 * addresses the connection uses ({@link #resolver}), so a name that resolves elsewhere
 * later (DNS rebinding) is caught too. Redirects are never followed (a public endpoint
 * cannot send the request on inward). An endpoint the service runs itself is allowed at
 * exactly its address and port, registered in code ({@link #trust}).
 */
public final class WebhookAddresses {

	static final int MAX_URL = 2000;

	private final boolean allowPrivate;

	private final String purpose;

	private final String setting;

	/**
	 * Endpoints the service runs itself, allowed whatever their address: exactly an
	 * address and a port, so that the rest of that host stays refused.
	 */
	private final Set<InetSocketAddress> trusted = ConcurrentHashMap.newKeySet();

	public WebhookAddresses(boolean allowPrivate) {
		this(allowPrivate, "webhooks go", "ARCHIVE_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES");
	}

	/**
	 * Addresses for another outgoing connection an org configures.
	 * @param allowPrivate whether internal addresses are allowed
	 * @param purpose what goes there, for the refusal, e.g. {@code "actions go"}
	 * @param setting the environment variable that allows internal addresses
	 */
	public WebhookAddresses(boolean allowPrivate, String purpose, String setting) {
		this.allowPrivate = allowPrivate;
		this.purpose = purpose;
		this.setting = setting;
	}

	/**
	 * Allows connecting to an endpoint the service itself runs, on whatever address, at
	 * exactly that address and port, and only by a URL that names the address: for the
	 * code that started it, never for a URL a client gives ({@link #check} still refuses
	 * it, and a name that resolves to it is refused when connecting).
	 * @param url the endpoint, its host an address (a name could resolve elsewhere later)
	 */
	public void trust(URI url) {
		this.trusted.add(endpoint(url));
	}

	/**
	 * Takes back {@link #trust}: the endpoint is gone.
	 * @param url the endpoint
	 */
	public void distrust(URI url) {
		this.trusted.remove(endpoint(url));
	}

	private static InetSocketAddress endpoint(URI url) {
		String host = host(url);
		if (!isLiteral(host)) {
			throw new IllegalArgumentException("a trusted endpoint is an address, not '" + host + "'");
		}
		try {
			return new InetSocketAddress(InetAddress.getByName(host), port(url));
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + host + "' is not an address", ex);
		}
	}

	/**
	 * Checks an endpoint's URL as a client gave it, its host's addresses too.
	 * @param url the URL
	 * @return the URL, parsed
	 * @throws InvalidInputException naming {@code url} and what is wrong with it
	 */
	public URI check(@Nullable String url) {
		URI uri = parse(url);
		String host = host(uri);
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(host);
		}
		catch (UnknownHostException ex) {
			throw new InvalidInputException("url: the host '" + host + "' does not resolve");
		}
		for (InetAddress address : addresses) {
			String refusal = refusal(address);
			if (refusal != null) {
				throw new InvalidInputException("url: '" + host + "' is " + refusal + "; " + this.purpose
						+ " to public addresses (" + this.setting + "=true allows internal ones)");
			}
		}
		return uri;
	}

	/**
	 * Parses an endpoint's URL without resolving it: {@code http} or {@code https},
	 * absolute, with a host and without credentials.
	 * @param url the URL
	 * @return the URL
	 * @throws InvalidInputException naming {@code url}
	 */
	static URI parse(@Nullable String url) {
		if (url == null || url.isBlank()) {
			throw new InvalidInputException("url is required, e.g. https://hooks.example.com/archive");
		}
		if (url.length() > MAX_URL) {
			throw new InvalidInputException("url has more than " + MAX_URL + " characters");
		}
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidInputException("url: '" + url + "' is not a URL (" + ex.getReason() + ")");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new InvalidInputException("url: '" + url + "' must be an http or https URL");
		}
		if (uri.getHost() == null || uri.getHost().isBlank()) {
			throw new InvalidInputException("url: '" + url + "' has no host");
		}
		if (uri.getRawUserInfo() != null) {
			throw new InvalidInputException(
					"url: credentials in the URL are not sent; verify deliveries by their signature instead");
		}
		if (uri.getRawFragment() != null) {
			throw new InvalidInputException("url: '" + url + "' has a fragment (#…), which is never sent");
		}
		return uri;
	}

	/**
	 * Checks a saved URL again before it is sent to, without resolving it: its literal
	 * address, if it is one (a name's addresses are checked by {@link #resolver}).
	 * @param uri the URL
	 * @return why it may not be sent to, or {@code null}
	 */
	public @Nullable String refusal(URI uri) {
		String host = host(uri);
		if (!isLiteral(host)) {
			return null;
		}
		try {
			String refusal = refusal(InetAddress.getByName(host), port(uri));
			return (refusal != null) ? "'" + host + "' is " + refusal : null;
		}
		catch (UnknownHostException ex) {
			return "'" + host + "' is not an address";
		}
	}

	/**
	 * Why an address may not be connected to, or {@code null} when it may.
	 * @param address the address
	 * @return the reason, e.g. "a loopback address"
	 */
	@Nullable String refusal(InetAddress address) {
		if (this.allowPrivate) {
			return null;
		}
		return internal(address);
	}

	private @Nullable String refusal(InetAddress address, int port) {
		return this.trusted.contains(new InetSocketAddress(address, port)) ? null : refusal(address);
	}

	/**
	 * Resolves names as the connection does, refusing a name with any address that may
	 * not be connected to: the addresses checked are the very ones connected to.
	 * @return the resolver
	 */
	/**
	 * An HTTP client that reaches only the addresses this policy allows, checked where
	 * each connection resolves its host: no redirects, no retries of its own, no cookies
	 * or cached credentials, one timeout to connect (and to wait for a pooled connection)
	 * and one for each read.
	 * @param connectTimeout how long connecting may take
	 * @param readTimeout how long a read may wait
	 * @param maxTotal connections in all
	 * @param maxPerRoute connections to one host and port
	 * @param userAgent the {@code User-Agent} it sends
	 * @return the client; close it when done
	 */
	public CloseableHttpClient client(Duration connectTimeout, Duration readTimeout, int maxTotal, int maxPerRoute,
			String userAgent) {
		Timeout read = Timeout.of(readTimeout);
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(resolver())
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(Timeout.of(connectTimeout))
					.setSocketTimeout(read)
					.setTimeToLive(TimeValue.ofMinutes(5))
					.build())
				.setMaxConnTotal(maxTotal)
				.setMaxConnPerRoute(maxPerRoute)
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setRedirectsEnabled(false)
				.setResponseTimeout(read)
				.setConnectionRequestTimeout(Timeout.of(connectTimeout))
				.build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableContentCompression()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableConnectionState()
			.evictIdleConnections(TimeValue.ofMinutes(1))
			.setUserAgent(userAgent)
			.build();
	}

	public DnsResolver resolver() {
		return new DnsResolver() {

			@Override
			public InetAddress[] resolve(String host) throws UnknownHostException {
				InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
				for (InetAddress address : addresses) {
					String refusal = refusal(address);
					if (refusal != null) {
						throw new RefusedAddressException(
								"refused: '" + host + "' resolves to " + address.getHostAddress() + ", " + refusal);
					}
				}
				return addresses;
			}

			// What the connection manager calls: with the port, which a trusted endpoint
			// needs. Trusted only as an address, as it was given: a name that resolves
			// to it (rebound after an administrator saved it) is refused.
			@Override
			public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
				List<InetSocketAddress> resolved = new ArrayList<>();
				for (InetAddress address : SystemDefaultDnsResolver.INSTANCE.resolve(host)) {
					String refusal = isLiteral(unbracketed(host)) ? refusal(address, port) : refusal(address);
					if (refusal != null) {
						throw new RefusedAddressException(
								"refused: '" + host + "' resolves to " + address.getHostAddress() + ", " + refusal);
					}
					resolved.add(new InetSocketAddress(address, port));
				}
				return resolved;
			}

			@Override
			public String resolveCanonicalHostname(String host) {
				return host;
			}

		};
	}

	/**
	 * An address the resolver would not give: never connected to.
	 */
	public static final class RefusedAddressException extends UnknownHostException {

		RefusedAddressException(String message) {
			super(message);
		}

	}

	/**
	 * A URL for the audit log: its query may carry the receiver's credentials.
	 * @param url the URL
	 * @return its scheme, authority and path, with {@code ?…} for a query
	 */
	public static String redacted(String url) {
		URI uri = URI.create(url);
		return uri.getScheme() + "://" + uri.getRawAuthority() + ((uri.getRawPath() != null) ? uri.getRawPath() : "")
				+ ((uri.getRawQuery() != null) ? "?…" : "");
	}

	private static String host(URI uri) {
		return unbracketed(java.util.Objects.requireNonNull(uri.getHost()));
	}

	private static String unbracketed(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static boolean isLiteral(String host) {
		return host.contains(":") || host.matches("[0-9.]+");
	}

	/**
	 * Whether an address is anything but a public unicast one, and which kind.
	 */
	static @Nullable String internal(InetAddress address) {
		if (address.isLoopbackAddress()) {
			return "a loopback address";
		}
		if (address.isAnyLocalAddress()) {
			return "the unspecified address";
		}
		if (address.isLinkLocalAddress()) {
			return "a link-local address (cloud metadata services are on one)";
		}
		if (address.isSiteLocalAddress()) {
			return "a private address";
		}
		if (address.isMulticastAddress()) {
			return "a multicast address";
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			if (first == 0 || first >= 240) {
				return "a reserved address";
			}
			if (first == 100 && second >= 64 && second < 128) {
				return "a carrier-grade NAT address";
			}
			if (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) {
				return "an IETF protocol address";
			}
			if (first == 198 && (second == 18 || second == 19)) {
				return "a benchmarking address";
			}
			return null;
		}
		if (address instanceof Inet6Address) {
			int first = bytes[0] & 0xff;
			if ((first & 0xfe) == 0xfc) {
				// fc00::/7, AWS's metadata service fd00:ec2::254 among them.
				return "a unique-local address";
			}
			if (first == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
				return "a site-local address";
			}
			InetAddress embedded = embeddedIpv4(bytes);
			if (embedded != null) {
				String inner = internal(embedded);
				return (inner != null) ? inner.replaceFirst("^an? ", "an IPv6 form of a ") : null;
			}
		}
		return null;
	}

	/**
	 * The IPv4 address an IPv6 one carries to reach it: mapped ({@code ::ffff:a.b.c.d}),
	 * compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) or 6to4
	 * ({@code 2002::/16}).
	 */
	private static @Nullable InetAddress embeddedIpv4(byte[] bytes) {
		boolean zeros80 = true;
		for (int i = 0; i < 10; i++) {
			zeros80 &= bytes[i] == 0;
		}
		byte[] v4 = null;
		if (zeros80 && ((bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) || (bytes[10] == 0 && bytes[11] == 0))) {
			v4 = new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] };
		}
		else if (bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == (byte) 0xff && bytes[3] == (byte) 0x9b) {
			v4 = new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] };
		}
		else if (bytes[0] == 0x20 && bytes[1] == 0x02) {
			v4 = new byte[] { bytes[2], bytes[3], bytes[4], bytes[5] };
		}
		if (v4 == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(v4);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
