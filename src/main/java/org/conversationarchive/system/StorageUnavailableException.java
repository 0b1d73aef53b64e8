package org.conversationarchive.system;

import java.io.IOException;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.transport.TransportException;

import org.jspecify.annotations.Nullable;

/**
 * Elasticsearch did not take or give what was asked, for now: a {@code 503} problem with
 * {@code Retry-After}. Nothing was acknowledged, so the client can safely resend.
 */
public class StorageUnavailableException extends RuntimeException {

	/**
	 * Errors that say a part of the indices cannot be read for now (closed, a shard
	 * without a copy, a node gone), not that the request is wrong.
	 */
	private static final Set<String> UNREADABLE = Set.of("index_closed_exception",
			"no_shard_available_action_exception", "search_context_missing_exception", "node_not_connected_exception",
			"node_disconnected_exception", "shard_not_found_exception", "unavailable_shards_exception");

	/**
	 * What a client is told of a write refused by an index's write block: the block an
	 * index rebuild sets for its last moments.
	 */
	public static final String REBUILDING = "The conversation's yearly index is being rebuilt and takes no writes "
			+ "for a few moments; nothing was stored. Retry later.";

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
				|| (failure instanceof ElasticsearchException ex && (isUnavailable(ex.status())
						|| (ex.error() != null && (isUnreadable(ex.error()) || isWriteBlocked(ex.error())))));
	}

	/**
	 * Whether an error of Elasticsearch is a write refused by an index's write block
	 * ({@code index.blocks.write}, set while the index is rebuilt): a {@code 403} of
	 * Elasticsearch's, but nothing the client did wrong, and over in moments.
	 * @param error the error
	 * @return whether it is a block
	 */
	public static boolean isWriteBlocked(ErrorCause error) {
		return writeBlock(error) || error.rootCause().stream().anyMatch(StorageUnavailableException::writeBlock);
	}

	/**
	 * The block {@code index.blocks.write} sets ("index write (api)"), not a disk's flood
	 * stage or another block an operator set, which a resend would not get past.
	 */
	private static boolean writeBlock(ErrorCause cause) {
		return "cluster_block_exception".equals(cause.type()) && cause.reason() != null
				&& cause.reason().contains("index write (api)");
	}

	/**
	 * Whether an error of Elasticsearch says a part of the indices cannot be read or
	 * written for now.
	 * @param error the error
	 * @return whether it is one of those
	 */
	public static boolean isUnreadable(ErrorCause error) {
		return UNREADABLE.contains(error.type())
				|| error.rootCause().stream().anyMatch((cause) -> UNREADABLE.contains(cause.type()));
	}

	/**
	 * Whether an Elasticsearch status says it cannot take the request right now.
	 */
	private static boolean isUnavailable(int status) {
		return status == 429 || status == 502 || status == 503 || status == 504;
	}

}
