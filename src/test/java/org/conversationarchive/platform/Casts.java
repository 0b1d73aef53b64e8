package org.conversationarchive.platform;

import java.util.function.Predicate;

import org.conversationarchive.conversation.Platform;

/**
 * Seeds of the reference platform whose first conversations are of a kind a test needs,
 * found by drawing them as the player would.
 */
public final class Casts {

	private Casts() {
	}

	/**
	 * A seed whose first conversation is a call the AI agent plays whole, long enough to
	 * be acted on while it goes on.
	 * @param messages at least this many messages to say
	 * @return the seed
	 */
	public static long call(int messages) {
		return seed(1,
				(cast) -> cast.handOffTo() == null && cast.script().size() >= messages
						&& (cast.conversation().platform() == Platform.VOICE
								|| cast.conversation().platform() == Platform.HUMAN_PHONE));
	}

	/**
	 * A seed whose first conversations are all handed off to a queue.
	 * @param count how many
	 * @return the seed
	 */
	public static long handOffs(int count) {
		return seed(count, (cast) -> cast.handOffTo() != null);
	}

	private static long seed(int count, Predicate<Casting.Cast> wanted) {
		for (long seed = 1; seed < 10_000; seed++) {
			Casting casting = new Casting(seed);
			boolean all = true;
			for (int i = 0; i < count && all; i++) {
				all = wanted.test(casting.next());
			}
			if (all) {
				return seed;
			}
		}
		throw new IllegalStateException("no seed below 10,000 draws such conversations");
	}

}
