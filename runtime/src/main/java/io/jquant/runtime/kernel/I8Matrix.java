package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Signed bytes {@code [N, K]} in a segment, as stored, with one float32 scale per row: the GEMV of
 * {@link Int8Linear} and its GEMM panels. The GEMV sums {@code q · x} unscaled and multiplies the row's scale
 * once; a row whose scale is infinite instead sums the reference's {@code (q · scale) · x}, so that a zero
 * code gives NaN there as it does in the reference ({@code 0 · Inf}).
 */
final class I8Matrix implements StreamedWeights {
  private final MemorySegment data;
  private final int rows;
  private final int cols;
  private final float[] scales;
  private final boolean vector;

  I8Matrix(MemorySegment data, int rows, int cols, float[] scales, boolean vector) {
    this.data = vector ? OffHeap.of(data) : data;
    this.rows = rows;
    this.cols = cols;
    this.scales = scales;
    this.vector = vector;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public int gemvMaxRows() {
    return EightBitScales.GEMV_MAX_ROWS;
  }

  /**
   * {@code y[yOffset + r · yStride + n - from] = Σ_k W[n][k] · x[r · K + k]} for {@code n} in
   * {@code [from, to)}, weight rows in pairs.
   */
  @Override
  public void gemv(float[] x, int rowCount, int from, int to, float[] y, int yOffset, int yStride) {
    float[] scratch = new float[vector ? KernelLanes.LENGTH : 0];
    float[] pair = new float[2];
    int n = from;
    while (n < to) {
      if (vector && n + 1 < to && fast(n) && fast(n + 1)) {
        for (int r = 0; r < rowCount; r++) {
          I8Lanes.dot2(data, (long) n * cols, (long) (n + 1) * cols, cols, x, r * cols, scratch, pair);
          int at = yOffset + r * yStride + n - from;
          y[at] = pair[0] * scales[n];
          y[at + 1] = pair[1] * scales[n + 1];
        }
        n += 2;
        continue;
      }
      for (int r = 0; r < rowCount; r++) {
        y[yOffset + r * yStride + n - from] = !fast(n) ? exactDot(n, x, r * cols)
            : vector ? I8Lanes.dot(data, (long) n * cols, cols, x, r * cols, scratch) * scales[n]
                : scalarDot(n, x, r * cols) * scales[n];
      }
      n++;
    }
  }

  @Override
  public void decode(int n0, int count, int k0, int depth, float[] panel) {
    for (int j = 0; j < count; j++) {
      int n = n0 + j;
      long row = (long) n * cols;
      if (vector) {
        I8Lanes.decode(data, row, k0, depth, scales[n], panel, j * depth);
      } else {
        for (int i = 0; i < depth; i++) {
          panel[j * depth + i] = code(row + k0 + i) * scales[n];
        }
      }
    }
  }

  private boolean fast(int n) {
    return !Float.isInfinite(scales[n]);
  }

  private float scalarDot(int n, float[] x, int xOff) {
    long row = (long) n * cols;
    float sum = 0;
    for (int k = 0; k < cols; k++) {
      sum += code(row + k) * x[xOff + k];
    }
    return sum;
  }

  private float exactDot(int n, float[] x, int xOff) {
    long row = (long) n * cols;
    float sum = 0;
    for (int k = 0; k < cols; k++) {
      sum += code(row + k) * scales[n] * x[xOff + k];
    }
    return sum;
  }

  private byte code(long offset) {
    return data.get(ValueLayout.JAVA_BYTE, offset);
  }
}
