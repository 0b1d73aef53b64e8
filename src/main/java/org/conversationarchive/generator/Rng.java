package org.conversationarchive.generator;

import java.util.List;

/**
 * SplitMix64, written out rather than taken from the JDK so that a seed gives the same
 * conversations on every JDK version and machine.
 */
final class Rng {

	private static final long GOLDEN = 0x9E3779B97F4A7C15L;

	private long state;

	Rng(long seed) {
		this.state = seed;
	}

	/**
	 * A generator for one item of a stream, independent of every other item's, so that
	 * item {@code index} is the same whether or not the items before it were made.
	 * @param seed the stream's seed
	 * @param salt what the stream is for
	 * @param index the item
	 * @return the item's generator
	 */
	static Rng of(long seed, long salt, long index) {
		return new Rng(mix(mix(seed ^ mix(salt)) + index * GOLDEN));
	}

	/**
	 * The SplitMix64 finalizer: a bijection of the 64-bit integers that scatters nearby
	 * inputs.
	 * @param value the input
	 * @return its mix
	 */
	static long mix(long value) {
		long z = value;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	long nextLong() {
		this.state += GOLDEN;
		return mix(this.state);
	}

	/**
	 * Uniform in {@code [0, bound)}, without modulo bias (Lemire's method).
	 * @param bound the exclusive upper bound, positive
	 * @return the value
	 */
	int nextInt(int bound) {
		long random = nextLong() >>> 32;
		long product = random * bound;
		int low = (int) product;
		if (Integer.compareUnsigned(low, bound) < 0) {
			int threshold = Integer.remainderUnsigned(-bound, bound);
			while (Integer.compareUnsigned(low, threshold) < 0) {
				random = nextLong() >>> 32;
				product = random * bound;
				low = (int) product;
			}
		}
		return (int) (product >>> 32);
	}

	/**
	 * Uniform in {@code [min, max]}.
	 * @param min the smallest value
	 * @param max the largest value
	 * @return the value
	 */
	int between(int min, int max) {
		return min + nextInt(max - min + 1);
	}

	/**
	 * Uniform in {@code [0, bound)}.
	 * @param bound the exclusive upper bound, positive
	 * @return the value
	 */
	long nextLong(long bound) {
		long bits;
		long value;
		do {
			bits = nextLong() >>> 1;
			value = bits % bound;
		}
		while (bits - value + (bound - 1) < 0);
		return value;
	}

	double nextDouble() {
		return (nextLong() >>> 11) * 0x1.0p-53;
	}

	boolean chance(double probability) {
		return nextDouble() < probability;
	}

	@SafeVarargs
	final <T> T pick(T... values) {
		return values[nextInt(values.length)];
	}

	<T> T pick(List<T> values) {
		return values.get(nextInt(values.size()));
	}

	/**
	 * An index chosen with the given relative weights.
	 * @param weights relative weights, not all zero
	 * @return the chosen index
	 */
	int weighted(int[] weights) {
		int total = 0;
		for (int weight : weights) {
			total += weight;
		}
		int target = nextInt(total);
		for (int i = 0; i < weights.length; i++) {
			target -= weights[i];
			if (target < 0) {
				return i;
			}
		}
		return weights.length - 1;
	}

	/**
	 * A score in {@code [min, max]} with two decimals, so that it prints the same
	 * everywhere.
	 * @param min the lowest score
	 * @param max the highest score
	 * @return the score
	 */
	double score(double min, double max) {
		int low = (int) Math.round(min * 100);
		int high = (int) Math.round(max * 100);
		return between(low, high) / 100.0;
	}

}
