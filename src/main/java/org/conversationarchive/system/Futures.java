package org.conversationarchive.system;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for work handed to another thread, with its failure as if it had happened here.
 */
public final class Futures {

	private Futures() {
	}

	/**
	 * The result of a task, once it is done.
	 * @param <T> the result type
	 * @param future the task
	 * @return its result
	 * @throws IOException the task's own {@link IOException}, or when interrupted while
	 * waiting (the interrupt is kept)
	 */
	public static <T> T await(Future<T> future) throws IOException {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IOException(ex.getCause());
		}
	}

}
