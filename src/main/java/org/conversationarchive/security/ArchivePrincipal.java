package org.conversationarchive.security;

/**
 * An authenticated caller.
 *
 * @param org its org
 * @param userId the person (token subject) or API key id
 * @param role its role in the org
 * @param systemAdmin whether it may also manage orgs
 */
public record ArchivePrincipal(String org, String userId, Role role, boolean systemAdmin) {
}
