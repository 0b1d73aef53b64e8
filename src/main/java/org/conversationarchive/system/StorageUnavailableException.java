package org.conversationarchive.system;

import java.io.IOException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;

import org.jspecify.annotations.Nullable;

/**
 * Elasticsearch did not take or give what was asked, for now: a {@code 503} problem with
 * {@code Retry-After}. Nothing was acknowledged, so the client can safely resend.
 */
public class StorageUnavailableException extends RuntimeException {

	public StorageUnavailableException(String detail, @Nullable Throwable cause) {
		super(detail, cause);
	}

	/**
	 * Whether a failure means that Elasticsearch could not be reached or could not take
	 * more for now (worth resending later), rather than a fault of the request or of this
	 * service.
	 * @param failure the failure
	 * @return whether it is Elasticsearch's unavailability
	 */
	public static boolean isUnavailability(@Nullable Throwable failure) {
		return failure instanceof StorageUnavailableException || failure instanceof IOException
				|| failure instanceof TransportException
				|| (failure instanceof ElasticsearchException ex && isUnavailable(ex.status()));
	}

	/**
	 * Whether an Elasticsearch status says it cannot take the request right now.
	 */
	private static boolean isUnavailable(int status) {
		return status == 429 || status == 502 || status == 503 || status == 504;
	}

}
