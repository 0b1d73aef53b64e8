package org.conversationarchive.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * People signing in to the pages through the identity provider: their ID token's claims
 * give org and role, as an API request's access token would.
 */
class OidcSignIn implements AuthenticationSuccessHandler {

	private final JwtPrincipals principals;

	private final SecurityContextRepository contexts;

	OidcSignIn(SecuritySettings.Jwt claims, SecurityContextRepository contexts) {
		this.principals = new JwtPrincipals(claims);
		this.contexts = contexts;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException {
		if (!(authentication.getPrincipal() instanceof OidcUser user)) {
			response.sendRedirect("/login?error");
			return;
		}
		var token = user.getIdToken();
		Jwt jwt = new Jwt(token.getTokenValue(), token.getIssuedAt(), token.getExpiresAt(),
				java.util.Map.of("alg", "none"), token.getClaims());
		Authentication archive;
		try {
			archive = this.principals.convert(jwt);
		}
		catch (RuntimeException ex) {
			response.sendRedirect("/login?error");
			return;
		}
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(archive);
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		response.sendRedirect("/");
	}

}
