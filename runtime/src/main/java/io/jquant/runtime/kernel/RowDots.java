package io.jquant.runtime.kernel;

import java.util.Arrays;

/**
 * {@link PanelGemm}'s path for a small batch ({@link KernelPlan#ROW_DOTS_MAX_ROWS} activation rows or fewer)
 * on AVX-512: the same decoded panels, multiplied with K in the vector lanes instead of the activation rows.
 * With rows in the lanes, a batch of 5-32 rows padded a vector to 16 or 32 lanes and each FMA needed its own
 * broadcast of a weight (a shuffle on the port the second FMA unit shares: 24-55 GFLOP/s at 7-24 rows); here
 * a {@link DotLanes} tile loads 4 weight rows and 4 activation rows for 16 FMAs, and x is read as it is (no
 * transpose, no padding).
 *
 * <p>Summation order, fixed whatever the thread count or column split: per output, one FMA chain per lane
 * {@code l} over the k with {@code k % LENGTH == l} in k order across all of K, the lanes added as a fixed
 * tree ({@link DotLanes#sum16}), then the scalar sum of the last {@code K % LENGTH} products. When K fits one
 * panel ({@link PanelGemm#DEPTH}), a tile runs all of K and sums its 16 outputs' lanes in registers
 * ({@link DotLanes#sums4x4}, same order): no accumulator buffer round trip (1536x384, 24 rows: 465 to 400
 * µs).
 */
final class RowDots {
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
    // Whole groups of 16 sums for DotLanes.sum16 (the padding stays zero); only a K past one panel uses them.
    int outputs = PANEL_ROWS * rows;
    int groups = cols <= DEPTH ? 0 : (outputs + SUMS - 1) / SUMS;
    float[] acc = new float[groups * SUMS * lanes];
    float[] sums = new float[groups * SUMS];
    float[] rest = new float[outputs];
    // K in one panel: each tile sums its 16 outputs' lanes in registers, to 16 floats per (tile, row block).
    int blocks = (rows + 3) / 4;
    float[] tileSums = new float[PANEL_ROWS / TILE_ROWS * blocks * SUMS];
    for (int n0 = from; n0 < to; n0 += PANEL_ROWS) {
      int count = Math.min(PANEL_ROWS, to - n0);
      int tiles = (count + TILE_ROWS - 1) / TILE_ROWS;
      // A float32 weight is read in place while every tile's rows exist; else decoded rows are read.
      boolean inPlace = floats != null && n0 + tiles * TILE_ROWS <= weights.rows();
      Arrays.fill(rest, 0f);
      if (cols <= DEPTH) {
        wholePanel(weights, inPlace, n0, count, tiles, x, rows, decoded, tileSums, rest);
        for (int r = 0; r < rows; r++) {
          int at = yOffset + r * yStride + n0 - from;
          int s0 = r / 4 * SUMS + r % 4 * TILE_ROWS;
          for (int j = 0; j < count; j++) {
            y[at + j] = tileSums[j / TILE_ROWS * blocks * SUMS + s0 + j % TILE_ROWS];
          }
          if (vectorCols < cols) {
            for (int j = 0; j < count; j++) {
              y[at + j] += rest[j * rows + r];
            }
          }
        }
        continue;
      }
      Arrays.fill(acc, 0f);
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
        for (int r = 0; r < rows;) {
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

  /**
   * One panel of {@code count} weight rows when all of K fits it: the tiles' lane sums to
   * {@code tileSums[(t · blocks + b) · 16 + 4 · r + j]} (tile t, row block b), the scalar rest (if K is not a
   * multiple of the lanes) to {@code rest}.
   */
  private static void wholePanel(WeightPanels weights, boolean inPlace, int n0, int count, int tiles,
      float[] x, int rows, float[] decoded, float[] tileSums, float[] rest) {
    int cols = weights.cols();
    int vectorDepth = cols - cols % DotLanes.LENGTH;
    float[] panel;
    int start;
    if (inPlace) {
      panel = weights.floats();
      start = n0 * cols;
    } else {
      weights.decode(n0, count, 0, cols, decoded);
      panel = decoded;
      start = 0;
    }
    int blocks = (rows + 3) / 4;
    for (int b = 0; b < blocks; b++) {
      int block = Math.min(4, rows - 4 * b);
      int x0 = 4 * b * cols;
      for (int t = 0; t < tiles; t++) {
        int p0 = start + t * TILE_ROWS * cols;
        int o0 = (t * blocks + b) * SUMS;
        if (block == 4) {
          DotLanes.sums4x4(panel, p0, cols, x, x0, cols, vectorDepth, tileSums, o0);
        } else if (block == 3) {
          DotLanes.sums4x3(panel, p0, cols, x, x0, cols, vectorDepth, tileSums, o0);
        } else if (block == 2) {
          DotLanes.sums4x2(panel, p0, cols, x, x0, cols, vectorDepth, tileSums, o0);
        } else {
          DotLanes.sums4x1(panel, p0, cols, x, x0, cols, vectorDepth, tileSums, o0);
        }
      }
    }
    for (int j = 0; j < count && vectorDepth < cols; j++) {
      for (int r = 0; r < rows; r++) {
        float sum = 0;
        for (int i = vectorDepth; i < cols; i++) {
          sum += panel[start + j * cols + i] * x[r * cols + i];
        }
        rest[j * rows + r] = sum;
      }
    }
  }
}
