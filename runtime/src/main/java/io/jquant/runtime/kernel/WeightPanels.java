package io.jquant.runtime.kernel;

/**
 * A packed weight {@code W [N, K]} as the GEMM core sees it: tiles decoded to float32 on demand, all weight
 * scales applied, so each decoded tile is reused across many activation rows and the whole weight is never
 * expanded. Each format's {@code Linear} implements this over its packed bytes.
 */
interface WeightPanels {
  /** N. */
  int rows();

  /** K. */
  int cols();

  /**
   * Writes the dequantized {@code W[n0 + j][k0 + i]} to {@code panel[j · depth + i]} for {@code j < count},
   * {@code i < depth}: row-major, one weight row after the other, as the bulk decoders produce it. Callers
   * keep {@code k0} and {@code depth} on multiples of the format's block along K, except at the end of a row.
   */
  void decode(int n0, int count, int k0, int depth, float[] panel);

  /**
   * The weight itself when it is held as row-major float32 {@code [N, K]} (read in place, never decoded),
   * else null.
   */
  default float[] floats() {
    return null;
  }
}
