package org.conversationarchive.storage;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The sweep at start looks in every area of the store, one failing not stopping the
 * others.
 */
class AbandonedWritesTests {

	@Test
	void everyAreaIsSweptEvenWhenOneCannotBeRead() throws IOException {
		FileStore files = mock(FileStore.class);
		given(files.removeAbandonedWrites("media")).willThrow(new IOException("the store is away"));
		given(files.removeAbandonedWrites("exports")).willReturn(2);

		new AbandonedWrites(files).removeAbandonedWrites();

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			verify(files).removeAbandonedWrites("media");
			verify(files).removeAbandonedWrites("exports");
			verify(files).removeAbandonedWrites("imports");
		});
	}

}
