package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/**
 * The double-precision reference the kernel tests compare with, and its tolerance. A float32 sum of K
 * products in any order (plain, blocked, several accumulators, FMA or not) differs from the exact sum by at
 * most about {@code K · u · Σ|x·w|} with {@code u = 2^-24} (each product or partial sum rounds once, and
 * every rounding error is at most u times a partial sum bounded by {@code Σ|x·w|}); the bound is
 * {@code (K + 2) · u} with the bias add and the final rounding. It scales with {@code Σ|x·w|}, not with the
 * result, because cancellation can make the result tiny while the rounding errors stay.
 */
final class Reference {
  private static final double U = 0x1p-24;

  private Reference() {}

  static float[] random(Random random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  /** Checks y[r·yStride + n] against Σ_k x[r·K+k]·w[n·K+k] (+ bias[n]) for r < rows, n < out. */
  static void check(String what, float[] w, float[] bias, float[] x, int rows, int out, int in, float[] y,
      int yStride) {
    for (int r = 0; r < rows; r++) {
      for (int n = 0; n < out; n++) {
        double sum = bias == null ? 0 : bias[n];
        double magnitude = bias == null ? 0 : Math.abs(bias[n]);
        boolean nan = false;
        for (int k = 0; k < in; k++) {
          double p = (double) x[r * in + k] * w[n * in + k];
          sum += p;
          magnitude += Math.abs(p);
          nan |= Double.isNaN(p);
        }
        float actual = y[r * yStride + n];
        if (nan || Double.isNaN(sum) || Double.isInfinite(sum)) {
          if (Double.compare(actual, (float) sum) != 0) {
            fail(what + ": y[" + r + "][" + n + "] = " + actual + ", expected " + (float) sum);
          }
          continue;
        }
        double tolerance = (in + 2) * U * magnitude;
        if (!(Math.abs(actual - sum) <= tolerance)) {
          fail(what + ": y[" + r + "][" + n + "] = " + actual + ", expected " + sum + " within " + tolerance);
        }
      }
    }
  }
}
