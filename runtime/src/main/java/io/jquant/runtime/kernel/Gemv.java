package io.jquant.runtime.kernel;

/**
 * The memory-bound path (few activation rows) for weights held as float32 or BF16: each weight row is read once
 * and multiplied with every activation row, with several independent accumulators so the FMA latency hides
 * behind the loads.
 */
final class Gemv {
  /** Up to this many rows the weight is streamed row by row; more rows are worth a decoded panel. */
  static final int MAX_ROWS = 4;

  private Gemv() {}

  /** Raw sums over a float32 weight {@code [N, in]}, written as {@link PackedLinear#computeColumns} says. */
  static void floats(float[] w, int in, float[] x, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    for (int n = from; n < to; n++) {
      int base = n * in;
      for (int r = 0; r < rows; r++) {
        float sum = 0;
        for (int k = 0; k < in; k++) {
          sum += x[r * in + k] * w[base + k];
        }
        y[yOffset + r * yStride + n - from] = sum;
      }
    }
  }
}
