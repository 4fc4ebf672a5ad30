package io.jquant.runtime.kernel;

/**
 * The compute-bound path (many activation rows): decodes a panel of weight rows once and multiplies every
 * activation row with it. PLACEHOLDER BODY: plain loops; the register- and cache-blocked Vector API core
 * replaces it (issue 4).
 */
final class PanelGemm {
  private static final int PANEL_ROWS = 16;

  private PanelGemm() {}

  /**
   * {@code y[r · N + n] = Σ_k x[r · K + k] · W[n][k]} for every row {@code r < rows} and {@code n} in
   * {@code [from, to)}; y gets the raw sums (no bias).
   */
  static void multiply(WeightPanels weights, float[] x, int rows, float[] y, int from, int to) {
    multiply(weights, x, rows, from, to, y, from, weights.rows());
  }

  /**
   * The same sums written to {@code y[yOffset + r · yStride + (n - from)]}, as
   * {@link PackedLinear#computeColumns} places them.
   */
  static void multiply(WeightPanels weights, float[] x, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    int k = weights.cols();
    float[] panel = new float[PANEL_ROWS * k];
    for (int n0 = from; n0 < to; n0 += PANEL_ROWS) {
      int count = Math.min(PANEL_ROWS, to - n0);
      weights.decode(n0, count, 0, k, panel);
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < count; j++) {
          float sum = 0;
          for (int i = 0; i < k; i++) {
            sum += x[r * k + i] * panel[j * k + i];
          }
          y[yOffset + r * yStride + n0 - from + j] = sum;
        }
      }
    }
  }
}
