package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.activation.ActivationQuantizer;

/**
 * The reference the 8-bit kernels are checked against: the weight's own {@code dequantize()}, the activations
 * the quantizer's {@code dequantize()} gives (or x itself), then a float32 matmul summed in column order.
 *
 * <p>Tolerance. Kernel and reference add the same K products of the same float32 factors (the kernels'
 * dequantized weights equal the reference's bit for bit; INT8 moves the row scale out of the sum), in another
 * order. Each side's float32 sum is within {@code (K + 2) · u · Σ|w·x|} of the exact sum, u = 2^-24, counting
 * the products' and the scale's roundings (Higham, recursive summation, any order), and the bias adds one
 * more rounding. So the two differ by at most {@code 2 · (K + 3) · (u · (Σ|w·x| + |bias|) + η)}, computed
 * here in double, where η = 2^-150 is the absolute error a rounding into float32's subnormals may add (tiny
 * scales). That bound is the worst case of the summation alone, not a fudge factor; the exact-data tests,
 * whose sums are exact in float32, catch what it could hide (one wrong element in a long row).
 */
final class ReferenceMatmul8 {
  private static final double U = 0x1p-24;
  /** The absolute error a rounding can add in float32's subnormal range: half the smallest subnormal. */
  private static final double ETA = 0x1p-150;

  private ReferenceMatmul8() {}

  /** The values the kernel multiplies: x, or the quantizer's dequantized codes of x. */
  static float[] activations(ActivationQuantizer quantizer, float[] x, int rows, int in) {
    return quantizer == null ? x
        : quantizer.quantize(new FloatMatrix("x", rows, in, x)).dequantize().values();
  }

  /**
   * {@code y[r][n] = Σ_k x[r][k] · W[n][k] (+ bias[n])}, float32 FMAs, k ascending. FMAs as the kernels use:
   * a product of finite factors that overflows alone (a weight near 3e38 times 1.5) then meets an infinite
   * sum as the kernels' exact product does, not as an infinity of its own, which could make Inf - Inf = NaN.
   */
  static float[] multiply(FloatMatrix w, float[] x, int rows, float[] bias) {
    int n = w.rows();
    int k = w.cols();
    float[] y = new float[rows * n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        float sum = 0;
        for (int i = 0; i < k; i++) {
          sum = Math.fma(x[r * k + i], w.values()[j * k + i], sum);
        }
        y[r * n + j] = bias == null ? sum : sum + bias[j];
      }
    }
    return y;
  }

  /**
   * Asserts the kernel's y against the reference, judging each output by its terms {@code x·w} in double: NaN
   * where a term is NaN or the terms hold both infinities (any order gives NaN); the infinity of the infinite
   * terms where the finite rest cannot overflow; finite values within the bound above. Where the finite terms
   * alone can overflow float32, the outcome depends on the summation order and on whether a product is
   * rounded before it is added (an FMA does not overflow on {@code x·w}), so nothing is asserted.
   */
  static void assertClose(String what, FloatMatrix w, float[] x, int rows, float[] bias, float[] y) {
    float[] expected = multiply(w, x, rows, bias);
    int n = w.rows();
    int k = w.cols();
    assertEquals(expected.length, rows * n);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        float e = expected[r * n + j];
        float a = y[r * n + j];
        String where = what + ": y[" + r + "][" + j + "]: expected " + e + ", got " + a;
        double magnitude = bias == null ? 0 : Math.abs(bias[j]);
        boolean nan = bias != null && Float.isNaN(bias[j]);
        boolean plusInf = bias != null && bias[j] == Float.POSITIVE_INFINITY;
        boolean minusInf = bias != null && bias[j] == Float.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
          double term = (double) x[r * k + i] * w.values()[j * k + i];
          nan |= Double.isNaN(term);
          plusInf |= term == Double.POSITIVE_INFINITY;
          minusInf |= term == Double.NEGATIVE_INFINITY;
          if (Double.isFinite(term)) {
            magnitude += Math.abs(term);
          }
        }
        if (nan || (plusInf && minusInf)) {
          if (!Float.isNaN(a)) {
            fail(where + " (a NaN term or both infinities)");
          }
          continue;
        }
        if (magnitude > Float.MAX_VALUE) {
          continue;
        }
        if (plusInf || minusInf) {
          if (a != (plusInf ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY)) {
            fail(where + " (an infinite term)");
          }
          continue;
        }
        if (!Float.isFinite(a)) {
          fail(where);
        }
        double bound = 2 * (k + 3) * (U * magnitude + ETA);
        if (Math.abs((double) a - e) > bound) {
          fail(where + " (off by " + Math.abs((double) a - e) + ", bound " + bound + ")");
        }
      }
    }
  }

  /**
   * Asserts two arrays hold the same bits, any NaN matching any NaN: a sum of two NaNs keeps one operand's
   * sign and payload, and which one depends on the operand order C2 gives the add or FMA, so it is not
   * promised.
   */
  static void assertSameBits(String what, float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        fail(what + ": index " + i + ": expected " + expected[i] + ", got " + actual[i]);
      }
    }
  }
}
