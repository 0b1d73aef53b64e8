package org.conversationarchive.generator;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Who each conversation is with. Contacts get a Zipf-like number of conversations (a
 * shifted power law: a handful of contacts with hundreds, most with one or two, every
 * contact of the pool at least one), and those conversations are scattered over the
 * stream by a keyed shuffle, so any conversation's contact is computed on its own without
 * remembering the others.
 */
final class ContactPool {

	/**
	 * The power law's exponent; with the shift below, about 85% of contacts have one or
	 * two conversations and the busiest a few hundred, whatever the size.
	 */
	private static final double EXPONENT = 1.3;

	private static final long SALT_SHUFFLE = 0x5A17L;

	private static final long SALT_IDS = 0x1D5L;

	private static final long SALT_PERSON = 0xC0C0L;

	private final long seed;

	private final long conversations;

	private final long contacts;

	private final double shift;

	private final double scale;

	private final Permutation shuffle;

	private final Permutation numbers;

	private final @Nullable Person fixed;

	/**
	 * The contacts of a stream of conversations.
	 * @param seed the stream's seed
	 * @param conversations how many conversations there are
	 * @param contacts how many distinct contacts they have (at most one per conversation)
	 * @param fixedContactId the one contact of every conversation, if there is one
	 */
	ContactPool(long seed, long conversations, long contacts, @Nullable String fixedContactId) {
		this.seed = seed;
		this.conversations = Math.max(1, conversations);
		this.contacts = Math.clamp(contacts, 1, this.conversations);
		this.shift = Math.max(1.0, this.contacts * 0.001);
		double extra = this.conversations - this.contacts;
		double oneMinus = 1 - EXPONENT;
		this.scale = extra * oneMinus
				/ (StrictMath.pow(this.contacts + this.shift, oneMinus) - StrictMath.pow(this.shift, oneMinus));
		this.shuffle = new Permutation(this.conversations, Rng.mix(seed ^ SALT_SHUFFLE));
		this.numbers = new Permutation(this.contacts, Rng.mix(seed ^ SALT_IDS));
		this.fixed = (fixedContactId != null)
				? person(fixedContactId, Rng.of(seed, SALT_PERSON, fixedContactId.hashCode())) : null;
	}

	/**
	 * The contact of a conversation.
	 * @param index the conversation's index in the stream
	 * @return its contact
	 */
	Person contactOf(long index) {
		if (this.fixed != null) {
			return this.fixed;
		}
		long rank = rankOf(this.shuffle.apply(Math.floorMod(index, this.conversations)));
		long number = this.numbers.apply(rank);
		Rng rng = Rng.of(this.seed, SALT_PERSON, number);
		String id = "ct-" + hex(Rng.mix(number ^ Rng.mix(this.seed ^ SALT_IDS)));
		return person(id, rng);
	}

	/**
	 * The contact rank whose block of conversation slots holds this slot: contact
	 * {@code k} owns slots {@code [start(k), start(k + 1))}.
	 */
	private long rankOf(long slot) {
		long low = 0;
		long high = this.contacts - 1;
		while (low < high) {
			long middle = (low + high + 1) >>> 1;
			if (start(middle) <= slot) {
				low = middle;
			}
			else {
				high = middle - 1;
			}
		}
		return low;
	}

	/**
	 * The first slot of contact {@code rank}: one slot per contact plus its share of the
	 * extra conversations, which falls off as a power of the rank.
	 */
	private long start(long rank) {
		double oneMinus = 1 - EXPONENT;
		double extra = this.scale * (StrictMath.pow(rank + this.shift, oneMinus) - StrictMath.pow(this.shift, oneMinus))
				/ oneMinus;
		long start = rank + (long) Math.floor(extra + 1e-9);
		// Rounding must never leave a later contact without a slot of its own.
		return Math.max(rank, Math.min(start, this.conversations - (this.contacts - rank)));
	}

	private static Person person(String id, Rng rng) {
		String first = rng.pick(Catalog.FIRST_NAMES);
		String last = rng.pick(Catalog.LAST_NAMES);
		boolean uk = rng.chance(0.08);
		String phone = uk ? "+447700900" + digits(rng, 3)
				: "+1" + rng.pick(Catalog.AREA_CODES) + "555" + digits(rng, 4);
		String local = switch (rng.nextInt(4)) {
			case 0 -> first + "." + last;
			case 1 -> first.charAt(0) + last;
			case 2 -> first + last + rng.between(1, 99);
			default -> first + "_" + last.charAt(0) + rng.between(70, 99);
		};
		String email = local.toLowerCase(Locale.ROOT).replace("'", "").replace(" ", "") + "@"
				+ rng.pick(Catalog.EMAIL_DOMAINS);
		// Callers the CRM never matched to a name are known by their number only (though
		// they still say their name).
		return new Person(id, first, last, rng.chance(0.9), phone, email, rng.chance(0.07));
	}

	private static String digits(Rng rng, int count) {
		StringBuilder digits = new StringBuilder(count);
		for (int i = 0; i < count; i++) {
			digits.append((char) ('0' + rng.nextInt(10)));
		}
		return digits.toString();
	}

	static String hex(long value) {
		String hex = Long.toHexString(value);
		return "0".repeat(16 - hex.length()) + hex;
	}

	/**
	 * A contact as the generator knows it; each conversation shows what its channel would
	 * know of it.
	 *
	 * @param named whether the company knows the contact's name
	 * @param spanish whether the contact starts conversations in Spanish
	 */
	record Person(String id, String first, String last, boolean named, String phone, String email, boolean spanish) {

		/**
		 * The name the company has on file.
		 * @return the full name, or {@code null} when the company does not know it
		 */
		@Nullable String name() {
			return this.named ? this.first + " " + this.last : null;
		}

		String fullName() {
			return this.first + " " + this.last;
		}

	}

}
