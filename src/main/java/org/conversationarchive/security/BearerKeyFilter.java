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
 * when one is configured. An address with too many failures is answered {@code 429}.
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
		String address = request.getRemoteAddr();
		if (this.failures.blocked(address)) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(this.failures.secondsLeft(address)));
			Problems.write(response, this.json, HttpStatus.TOO_MANY_REQUESTS, "Too many failed attempts",
					"too many requests with invalid credentials came from this address; wait a minute");
			return;
		}
		String token = header.substring(7).trim();
		if (this.jwtConfigured && isJwt(token)) {
			// An OIDC token: the resource server authenticates it.
			chain.doFilter(request, response);
			return;
		}
		Optional<ArchivePrincipal> principal = this.keys.authenticate(token);
		if (principal.isEmpty()) {
			this.failures.failed(address);
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
