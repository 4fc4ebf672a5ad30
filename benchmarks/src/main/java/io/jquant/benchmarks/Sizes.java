package io.jquant.benchmarks;

/**
 * Buffer sizes in float32 elements, the values of every benchmark's size parameter: one that stays in a
 * core's L2 cache and one far beyond it, so a run shows both the compute-bound and the memory-bound speed.
 */
final class Sizes {
  private Sizes() {}

  /** 256 Ki floats = 1 MiB: cache-resident. */
  static final String CACHE = "262144";

  /** 16 Mi floats = 64 MiB: streams from memory (or from a very large L3). */
  static final String MEMORY = "16777216";

  /** A weight matrix [N, K] of {@link #CACHE} floats, with N and K multiples of 128 (the largest block). */
  static final String CACHE_MATRIX = "256x1024";

  /** A weight matrix [N, K] of {@link #MEMORY} floats. */
  static final String MEMORY_MATRIX = "4096x4096";
}
