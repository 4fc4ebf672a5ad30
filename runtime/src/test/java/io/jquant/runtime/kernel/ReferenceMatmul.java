package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jquant.runtime.quant.FloatMatrix;

/**
 * The reference every quantized kernel is checked against: the weight dequantized to float32 by its own
 * {@code dequantize()}, each product {@code x · w} rounded to float32 and the products added in double (so
 * the reference itself carries almost no summation error), plus the bias.
 *
 * <p>Tolerance: a kernel adds the same float32 products (or, with a block scale applied after a block's sum,
 * products that differ by one float32 rounding) in another order and in float32. Its error is then bounded by
 * the classic {@code γ_d · Σ|x·w|}, {@code γ_d ≈ d · 2^-24}, with d the longest chain of float32 additions
 * any product passes through; {@link #assertClose} takes d from the caller, adds 2 for the scale's and the
 * bias's roundings, and allows an absolute {@code K · 2^-140} for products in float32's subnormal range. NaN
 * and infinities must sit at exactly the reference's positions, with the same sign.
 */
final class ReferenceMatmul {
  private final double[] sums;
  private final double[] magnitudes;
  private final float[] floatProducts;
  private final int rows;
  private final int n;
  private final int k;

  private ReferenceMatmul(int rows, int n, int k) {
    this.rows = rows;
    this.n = n;
    this.k = k;
    this.sums = new double[rows * n];
    this.magnitudes = new double[rows * n];
    this.floatProducts = new float[rows * n];
  }

  /**
   * {@code y[r][j] = Σ_i x[r][i] · w[j][i] + bias[j]}.
   *
   * @param x the values the kernel multiplies (dequantized activations for a quantized input)
   * @param w the dequantized weight {@code [N, K]}
   */
  static ReferenceMatmul of(float[] x, int rows, FloatMatrix w, float[] bias) {
    int n = w.rows();
    int k = w.cols();
    float[] values = w.values();
    ReferenceMatmul ref = new ReferenceMatmul(rows, n, k);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        double sum = 0;
        double magnitude = 0;
        float special = 0; // the float sum: where Inf and NaN end up, independent of the order
        for (int i = 0; i < k; i++) {
          float product = x[r * k + i] * values[j * k + i];
          sum += product;
          magnitude += Math.abs(product);
          if (!Float.isFinite(product)) {
            special += product;
          }
        }
        float b = bias == null ? 0 : bias[j];
        ref.sums[r * n + j] = sum + b;
        ref.magnitudes[r * n + j] = magnitude + Math.abs(b);
        ref.floatProducts[r * n + j] = special + b;
      }
    }
    return ref;
  }

  /** Asserts y against the reference with the tolerance of a float32 addition chain of {@code depth}. */
  void assertClose(float[] y, int depth, String what) {
    double gamma = (depth + 2) * 0x1p-24;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        int at = r * n + j;
        String where = what + " at row " + r + ", column " + j;
        float special = floatProducts[at];
        if (Float.isNaN(special) || Float.isInfinite(special)) {
          assertEquals(Float.isNaN(special) ? "NaN" : String.valueOf(special),
              Float.isNaN(y[at]) ? "NaN" : String.valueOf(y[at]), where);
          continue;
        }
        if (!Float.isFinite(y[at])) {
          fail(where + ": expected about " + sums[at] + ", got " + y[at]);
        }
        double allowed = gamma * magnitudes[at] + k * 0x1p-140;
        double error = Math.abs(y[at] - sums[at]);
        assertTrue(error <= allowed,
            () -> where + ": expected " + sums[at] + " ± " + allowed + ", got " + y[at]
                + " (off by " + error + ")");
      }
    }
  }
}
