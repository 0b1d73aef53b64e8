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

	private final FailedAttempts failures;

	private final JsonMapper json;

	private final boolean jwtConfigured;

	BearerKeyFilter(FailedAttempts failures, JsonMapper json, boolean jwtConfigured) {
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
		String token = header.substring(7).trim();
		if (this.jwtConfigured && isJwt(token)) {
			// An OIDC token: the resource server authenticates it, and a failure goes
			// to the entry point, which counts it.
			chain.doFilter(request, response);
			return;
		}
		String address = request.getRemoteAddr();
		Optional<ArchivePrincipal> principal = this.failures.authenticate(address, token);
		if (principal.isEmpty()) {
			if (this.failures.failed(address)) {
				this.failures.refuse(response, address);
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
