package org.conversationarchive.generator;

/**
 * A keyed shuffle of {@code [0, size)} that needs no memory: a balanced Feistel network
 * on the smallest even number of bits that covers the range, walking the cycle until the
 * value falls inside it (on average fewer than four steps).
 */
final class Permutation {

	private static final int ROUNDS = 4;

	private final long size;

	private final int halfBits;

	private final long halfMask;

	private final long[] keys = new long[ROUNDS];

	Permutation(long size, long key) {
		if (size < 1) {
			throw new IllegalArgumentException("size must be positive");
		}
		this.size = size;
		int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(size - 1));
		this.halfBits = (bits + 1) / 2;
		this.halfMask = (1L << this.halfBits) - 1;
		for (int i = 0; i < ROUNDS; i++) {
			this.keys[i] = Rng.mix(key + i * 0x632BE59BD9B4E019L);
		}
	}

	/**
	 * Where a value goes.
	 * @param value in {@code [0, size)}
	 * @return its image, in {@code [0, size)}; distinct values have distinct images
	 */
	long apply(long value) {
		long result = value;
		do {
			result = encrypt(result);
		}
		while (result >= this.size);
		return result;
	}

	private long encrypt(long value) {
		long left = value >>> this.halfBits;
		long right = value & this.halfMask;
		for (long key : this.keys) {
			long next = left ^ (Rng.mix(right ^ key) & this.halfMask);
			left = right;
			right = next;
		}
		return (left << this.halfBits) | right;
	}

}
