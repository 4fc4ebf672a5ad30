package io.jquant.runtime;

/**
 * A linear layer {@code y = x·Wᵀ (+ bias)} with {@code W} of shape {@code [outFeatures, inFeatures]},
 * applied to {@code rows} activation rows at once. The quantized formats implement it over packed
 * weights; {@link Fp32Linear} is the float32 reference.
 */
public interface Linear {
  /** K: the length of an input row. */
  int inFeatures();

  /** N: the length of an output row. */
  int outFeatures();

  /**
   * Computes {@code rows} output rows from {@code rows} input rows, both row-major.
   *
   * @param x at least {@code rows · inFeatures()} values
   * @param y receives {@code rows · outFeatures()} values
   */
  void forward(float[] x, float[] y, int rows);
}
