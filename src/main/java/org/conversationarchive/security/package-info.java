/**
 * Who may do what: API keys and OIDC tokens, orgs and roles, signed links, and the audit
 * log.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.security;
