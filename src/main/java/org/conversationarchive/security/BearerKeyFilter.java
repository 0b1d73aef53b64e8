package org.conversationarchive.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <API key>}. Tokens that are not API keys (no
 * {@code ca_} prefix, and not the bootstrap key) are left to the OIDC resource server
 * when one is configured. A failure from an address with too many failures is answered
 * {@code 429}; a valid key from it is accepted.
 */
class BearerKeyFilter extends OncePerRequestFilter {

	private final ApiKeys keys;

	private final FailedAttempts failures;

	private final JsonMapper json;

	private final boolean jwtConfigured;

	BearerKeyFilter(ApiKeys keys, FailedAttempts failures, JsonMapper json, boolean jwtConfigured) {
		this.keys = keys;
		this.failures = failures;
		this.json = json;
		this.jwtConfigured = jwtConfigured;
	}

	/**
	 * Answers a failed attempt from an address whose attempts keep failing.
	 */
	static void tooManyFailures(HttpServletResponse response, FailedAttempts failures, JsonMapper json, String address)
			throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, failures.secondsLeft(address))));
		Problems.write(response, json, HttpStatus.TOO_MANY_REQUESTS, "Too many failed attempts",
				"too many requests with invalid credentials came from this address; wait a minute");
	}

	static boolean isJwt(String token) {
		return !token.startsWith("ca_") && token.chars().filter((c) -> c == '.').count() == 2;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			chain.doFilter(request, response);
			return;
		}
		String token = header.substring(7).trim();
		if (this.jwtConfigured && isJwt(token)) {
			// An OIDC token: the resource server authenticates it, and a failure goes
			// to the entry point, which counts it.
			chain.doFilter(request, response);
			return;
		}
		String address = request.getRemoteAddr();
		boolean throttled = this.failures.blocked(address);
		Optional<ArchivePrincipal> principal = throttled ? this.keys.authenticateKnown(token)
				: this.keys.authenticate(token);
		if (principal.isEmpty()) {
			this.failures.failed(address);
			if (throttled) {
				tooManyFailures(response, this.failures, this.json, address);
				return;
			}
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
			Problems.write(response, this.json, HttpStatus.UNAUTHORIZED, "Unauthorized",
					"the API key is not valid, or it was revoked");
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(new ArchiveAuthentication(principal.get()));
		SecurityContextHolder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

}
