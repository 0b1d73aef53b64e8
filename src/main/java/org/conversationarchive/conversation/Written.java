package org.conversationarchive.conversation;

import org.jspecify.annotations.Nullable;

/**
 * What became of one conversation sent to the archive.
 *
 * @param id the conversation id, when it could be read
 * @param status {@code 201} created, {@code 200} replaced, {@code 400} refused as
 * invalid, {@code 413} refused as too large, {@code 503} not stored for now (resend it)
 * @param error why it was refused
 */
public record Written(@Nullable String id, int status, @Nullable String error) {

	public boolean stored() {
		return this.status == 200 || this.status == 201;
	}

}
