package io.jquant.runtime.kernel;

/**
 * The forward call the 8-bit kernels share: checks, activations prepared once, then per chunk of output
 * columns either the GEMV (up to {@link #GEMV_MAX_ROWS} rows: weights streamed, decoded in registers) or the
 * blocked GEMM over decoded panels ({@link PanelGemm}), and the bias.
 */
final class EightBitForward {
  /**
   * The most activation rows the GEMV takes. It re-decodes each weight pair per row (from L1, not memory), so
   * its cost grows with the rows while the GEMM decodes each panel once for all of them.
   */
  static final int GEMV_MAX_ROWS = 3;

  /** Column chunks start on multiples of this: whole GEMV pairs and PanelGemm's panels. */
  private static final int ALIGN = 16;

  /** The GEMV of a format: {@code y} columns {@code [from, to)} of every row, without bias. */
  @FunctionalInterface
  interface Gemv {
    void multiply(float[] x, int rows, float[] y, int from, int to);
  }

  private EightBitForward() {}

  static void forward(String layer, int in, int out, InputActivations activations, float[] bias, Gemv gemv,
      WeightPanels panels, float[] x, float[] y, int rows, KernelThreads threads) {
    LinearChecks.requireForward(layer, x, y, rows, in, out);
    if (rows == 0) {
      return;
    }
    float[] prepared = activations.prepare(layer, x, rows, in);
    threads.forEachChunk(out, ALIGN, (from, to) -> {
      if (rows <= GEMV_MAX_ROWS) {
        gemv.multiply(prepared, rows, y, from, to);
      } else {
        PanelGemm.multiply(panels, prepared, rows, y, from, to);
      }
      if (bias != null) {
        for (int r = 0; r < rows; r++) {
          for (int n = from; n < to; n++) {
            y[r * out + n] += bias[n];
          }
        }
      }
    });
  }
}
