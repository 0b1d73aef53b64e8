package org.conversationarchive.system;

import org.jspecify.annotations.Nullable;

/**
 * Elasticsearch did not take or give what was asked, for now: a {@code 503} problem with
 * {@code Retry-After}. Nothing was acknowledged, so the client can safely resend.
 */
public class StorageUnavailableException extends RuntimeException {

	public StorageUnavailableException(String detail, @Nullable Throwable cause) {
		super(detail, cause);
	}

}
