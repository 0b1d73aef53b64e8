package org.conversationarchive.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * People signed in through the organisation's identity provider: the org and role come
 * from the token's claims (names configurable). A token without an org or a known role is
 * refused.
 */
class JwtPrincipals implements Converter<Jwt, AbstractAuthenticationToken> {

	private final SecuritySettings.Jwt claims;

	JwtPrincipals(SecuritySettings.Jwt claims) {
		this.claims = claims;
	}

	@Override
	public AbstractAuthenticationToken convert(Jwt jwt) {
		String org = jwt.getClaimAsString(this.claims.orgClaim());
		if (org == null || !Orgs.ID.matcher(org).matches()) {
			throw new InvalidBearerTokenException("the token has no valid '" + this.claims.orgClaim() + "' claim");
		}
		Role role = role(jwt.getClaim(this.claims.roleClaim()));
		String user = jwt.getClaimAsString(this.claims.userClaim());
		return new ArchiveAuthentication(
				new ArchivePrincipal(org, (user != null) ? user : jwt.getSubject(), role, false));
	}

	private Role role(Object claim) {
		List<String> values = new ArrayList<>();
		if (claim instanceof Collection<?> many) {
			many.forEach((each) -> values.add(String.valueOf(each)));
		}
		else if (claim != null) {
			values.add(String.valueOf(claim));
		}
		Role best = null;
		for (String value : values) {
			try {
				Role role = Role.of(value);
				if (best == null || (role != Role.INGEST && (best == Role.INGEST || role.ordinal() > best.ordinal()))) {
					best = role;
				}
			}
			catch (IllegalArgumentException ex) {
				// Roles of other applications are none of ours.
			}
		}
		if (best == null) {
			throw new InvalidBearerTokenException("the token's '" + this.claims.roleClaim()
					+ "' claim names none of the roles viewer, analyst, manager, admin, ingest");
		}
		return best;
	}

}
