package io.jquant.runtime.kernel;

import java.util.Arrays;

/**
 * {@link PanelGemm}'s path for a small batch ({@link #MAX_ROWS} activation rows or fewer) on AVX-512: the
 * same decoded panels, multiplied with K in the vector lanes instead of the activation rows. With rows in the
 * lanes, a batch of 5-32 rows padded a vector to 16 or 32 lanes and each FMA needed its own broadcast of a
 * weight (a shuffle on the port the second FMA unit shares: 24-55 GFLOP/s at 7-24 rows); here a
 * {@link DotLanes} tile loads 4 weight rows and 4 activation rows for 16 FMAs, and x is read as it is (no
 * transpose, no padding).
 *
 * <p>Summation order, fixed whatever the thread count or column split: per output, one FMA chain per lane
 * {@code l} over the k with {@code k % LENGTH == l} in k order across all of K, the lanes added as a fixed
 * tree ({@link DotLanes#sum16}), then the scalar sum of the last {@code K % LENGTH} products.
 */
final class RowDots {
  /**
   * The most rows this path takes. Its cost grows linearly with the rows (about 60 GFLOP/s), while the
   * rows-in-lanes tiles get faster per row up to 64 rows: level at 24 rows (1536x384
   * float32: 465 µs either way), 450 against 745 µs at 32.
   */
  static final int MAX_ROWS = 24;

  private static final int PANEL_ROWS = PanelGemm.PANEL_ROWS;
  private static final int DEPTH = PanelGemm.DEPTH;
  /** Weight rows per tile. */
  private static final int TILE_ROWS = 4;
  /** Lane sums per {@link DotLanes#sum16}. */
  private static final int SUMS = 16;

  private RowDots() {}

  /** The raw sums of columns {@code [from, to)}, placed as {@link PackedLinear#computeColumns} says. */
  static void multiply(WeightPanels weights, float[] x, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    int cols = weights.cols();
    int lanes = DotLanes.LENGTH;
    int vectorCols = cols - cols % lanes;
    float[] floats = weights.floats();
    int maxDepth = Math.min(DEPTH, cols);
    float[] decoded = new float[PANEL_ROWS * maxDepth];
    // Whole groups of 16 sums for DotLanes.sum16 (the padding stays zero).
    int outputs = PANEL_ROWS * rows;
    int groups = (outputs + SUMS - 1) / SUMS;
    float[] acc = new float[groups * SUMS * lanes];
    float[] sums = new float[groups * SUMS];
    float[] rest = new float[outputs];
    for (int n0 = from; n0 < to; n0 += PANEL_ROWS) {
      int count = Math.min(PANEL_ROWS, to - n0);
      int tiles = (count + TILE_ROWS - 1) / TILE_ROWS;
      // A float32 weight is read in place while every tile's rows exist; else decoded rows are read.
      boolean inPlace = floats != null && n0 + tiles * TILE_ROWS <= weights.rows();
      Arrays.fill(acc, 0f);
      Arrays.fill(rest, 0f);
      for (int k0 = 0; k0 < cols; k0 += DEPTH) {
        int depth = Math.min(DEPTH, cols - k0);
        float[] panel;
        int start;
        int stride;
        if (inPlace) {
          panel = floats;
          start = n0 * cols + k0;
          stride = cols;
        } else {
          weights.decode(n0, count, k0, depth, decoded);
          panel = decoded;
          start = 0;
          stride = depth;
        }
        int vectorDepth = Math.clamp(vectorCols - k0, 0, depth);
        // Activation rows outside: their 4 x slices (8 KiB) stay in the L1 while the panel's rows pass.
        for (int r = 0; r < rows; ) {
          int block = Math.min(4, rows - r);
          int x0 = r * cols + k0;
          for (int t = 0; t < tiles; t++) {
            int j0 = t * TILE_ROWS;
            int p0 = start + j0 * stride;
            int a0 = (j0 * rows + r) * lanes;
            if (block == 4) {
              DotLanes.tile4x4(panel, p0, stride, x, x0, cols, vectorDepth, acc, a0, rows);
            } else if (block == 3) {
              DotLanes.tile4x3(panel, p0, stride, x, x0, cols, vectorDepth, acc, a0, rows);
            } else if (block == 2) {
              DotLanes.tile4x2(panel, p0, stride, x, x0, cols, vectorDepth, acc, a0, rows);
            } else {
              DotLanes.tile4x1(panel, p0, stride, x, x0, cols, vectorDepth, acc, a0, rows);
            }
          }
          r += block;
        }
        for (int j = 0; j < count; j++) {
          for (int r = 0; r < rows; r++) {
            float sum = rest[j * rows + r];
            for (int i = vectorDepth; i < depth; i++) {
              sum += panel[start + j * stride + i] * x[r * cols + k0 + i];
            }
            rest[j * rows + r] = sum;
          }
        }
      }
      for (int g = 0; g < (count * rows + SUMS - 1) / SUMS; g++) {
        DotLanes.sum16(acc, g * SUMS * lanes, sums, g * SUMS);
      }
      for (int r = 0; r < rows; r++) {
        int at = yOffset + r * yStride + n0 - from;
        for (int j = 0; j < count; j++) {
          y[at + j] = sums[j * rows + r] + rest[j * rows + r];
        }
      }
    }
  }
}
