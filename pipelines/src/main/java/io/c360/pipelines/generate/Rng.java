package io.c360.pipelines.generate;

/**
 * SplitMix64: a tiny, fast, seedable generator. Each entity/day/file (or member id) gets its own
 * instance derived from the run seed, so content never depends on the order files are written.
 */
final class Rng {
  private long state;

  Rng(long seed) {
    this.state = seed;
  }

  /** A generator for one named stream of the run (e.g. "sales", day 3, part 2). */
  static Rng of(long seed, String stream, long a, long b) {
    long s = mix(seed ^ 0x5DEECE66DL);
    s = mix(s ^ stream.hashCode());
    s = mix(s ^ a);
    s = mix(s ^ (b * 0x9E3779B97F4A7C15L));
    return new Rng(s);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
  }

  /** Uniform in [0, bound). */
  long nextLong(long bound) {
    return Math.floorMod(nextLong() >>> 1, bound);
  }

  /** Uniform in [lo, hi] inclusive. */
  int between(int lo, int hi) {
    return lo + nextInt(hi - lo + 1);
  }

  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  boolean chance(double p) {
    return p > 0 && nextDouble() < p;
  }

  <T> T pick(java.util.List<T> values) {
    return values.get(nextInt(values.size()));
  }

  <T> T pick(T[] values) {
    return values[nextInt(values.length)];
  }

  /** Fisher–Yates, from the last element down. */
  <T> void shuffle(java.util.List<T> l) {
    for (int i = l.size() - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      T t = l.get(i);
      l.set(i, l.get(j));
      l.set(j, t);
    }
  }
}
