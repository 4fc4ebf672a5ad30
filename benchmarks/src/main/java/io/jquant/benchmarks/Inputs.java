package io.jquant.benchmarks;

import java.util.SplittableRandom;

/** Deterministic benchmark inputs: the same seed on every thread and every run, so runs compare. */
final class Inputs {
  private Inputs() {}

  private static final long SEED = 0x6a71_7561_6e74L;

  /**
   * {@code n} normally distributed values with standard deviation {@code sigma}: like real weights, most
   * values are small and a few reach the format's largest codes, so every branch of a scalar codec is taken.
   */
  static float[] gaussian(int n, float sigma) {
    SplittableRandom random = new SplittableRandom(SEED);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian() * sigma;
    }
    return values;
  }

  /** The kernel benchmarks' {@code input} parameter: {@code f32} (weight-only) or {@code quantized}. */
  static boolean parseInput(String input) {
    return switch (input) {
      case "f32" -> false;
      case "quantized" -> true;
      default -> throw new IllegalArgumentException("input " + input + ": expected f32 or quantized");
    };
  }
}
