package org.conversationarchive.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Signing in to the pages with an API key: the key is the password; its org and role
 * become the session's. As for the API, a valid key signs in even from an address whose
 * attempts keep failing.
 */
class ApiKeySignIn implements AuthenticationProvider {

	private final FailedAttempts failures;

	ApiKeySignIn(FailedAttempts failures) {
		this.failures = failures;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String address = (authentication.getDetails() instanceof WebAuthenticationDetails details)
				? details.getRemoteAddress() : "unknown";
		String key = String.valueOf(authentication.getCredentials()).trim();
		return this.failures.authenticate(address, key)
			.<Authentication>map(ArchiveAuthentication::new)
			.orElseThrow(() -> this.failures.failed(address)
					? new LockedException("too many failed attempts from this address; wait a minute")
					: new BadCredentialsException("the API key is not valid, or it was revoked"));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
