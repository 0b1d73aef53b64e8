package org.conversationarchive.security;

import org.jspecify.annotations.Nullable;

/**
 * Something the audit log must keep (deletes, exports, downloads, key changes): any
 * module publishes it as an application event; the security module records it with who
 * did it.
 *
 * @param org the org it happened in
 * @param action what happened, e.g. {@code conversation.deleted}
 * @param target what it happened to, e.g. the conversation id
 * @param detail anything else worth keeping
 */
public record AuditEvent(String org, String action, @Nullable String target, @Nullable String detail) {
}
