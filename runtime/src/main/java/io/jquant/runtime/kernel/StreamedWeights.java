package io.jquant.runtime.kernel;

/** A packed weight with both of a {@link TwoPathLinear}'s paths: the streaming GEMV and the GEMM's panels. */
interface StreamedWeights extends WeightPanels {
  /** The most activation rows the GEMV takes: above it, decoding a panel once and reusing it wins. */
  int gemvMaxRows();

  /**
   * The raw sums {@code y[yOffset + r · yStride + (n - from)] = Σ_k x[r][k] · W[n][k]} for
   * {@code r < rows ≤ gemvMaxRows()} and {@code n} in {@code [from, to)}, streaming the weight rows once.
   */
  void gemv(float[] x, int rows, int from, int to, float[] y, int yOffset, int yStride);
}
