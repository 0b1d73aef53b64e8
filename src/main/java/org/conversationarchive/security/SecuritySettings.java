package org.conversationarchive.security;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How requests are authenticated and limited.
 *
 * @param bootstrapKey the system-admin API key of org {@code default}
 * ({@code ARCHIVE_SECURITY_BOOTSTRAP_KEY}); generated and printed once at the first start
 * of the embedded default when unset
 * @param jwt how OIDC tokens map to orgs and roles
 * @param maxFailedAttempts failed authentications per minute from one address before
 * further attempts are refused for a minute
 * @param maxBodySize largest request body, counted as it streams whatever its framing
 * (bulk, imports and uploads have limits of their own)
 * @param maxUploadSize largest file of a multipart upload (an import; an artifact also
 * has a smaller limit of its own), counted as it streams
 * @param linkSecret the secret that signs download links; by default one is generated
 * once and kept in the database, so every instance shares it
 * @param linkValidity how long a download link works
 */
@ConfigurationProperties("archive.security")
public record SecuritySettings(@Nullable String bootstrapKey, @DefaultValue Jwt jwt,
		@DefaultValue("20") int maxFailedAttempts, @DefaultValue("10MB") DataSize maxBodySize,
		@DefaultValue("2GB") DataSize maxUploadSize, @Nullable String linkSecret,
		@DefaultValue("24h") Duration linkValidity) {

	/**
	 * Claims of OIDC tokens.
	 *
	 * @param orgClaim the claim naming the org
	 * @param roleClaim the claim naming the role (a string, or a list whose highest role
	 * counts)
	 * @param userClaim the claim identifying the person
	 */
	public record Jwt(@DefaultValue("org") String orgClaim, @DefaultValue("role") String roleClaim,
			@DefaultValue("sub") String userClaim) {
	}

}
