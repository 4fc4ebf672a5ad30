package io.jquant.runtime.kernel;

import java.util.Arrays;

/**
 * The compute-bound path (many activation rows): decodes a panel of {@link #PANEL_ROWS} weight rows × a
 * {@link #DEPTH}-long slice of K once (24 KiB) and multiplies every activation row with it, {@link #SLICE} k
 * at a time.
 *
 * <p>The vector core ({@link GemmLanes}) keeps activation rows in the lanes: x is packed once per call,
 * transposed into tiles of {@link GemmLanes#WIDE} rows (then {@link GemmLanes#TILE}, then one vector, for the
 * rows left over; {@link #pack}), and each decoded weight value is broadcast against a tile. So the decoded
 * panel is used as the formats write it (row-major, rows {@link #DEPTH} apart), the x slice of a tile (32
 * KiB) stays in the L1 while the panel's rows stream from the L2, and the sums of a panel collect in a
 * transposed {@code yT[n][m]} block copied to y once all of K is done. Summation order: per output, one
 * float32 FMA chain in k order over all of K (the kernels continue from the sums in yT), whatever the tile or
 * the column split. Without the Vector API the same blocking runs as scalar loops, which add each slice's sum
 * to yT. With AVX-512, up to {@link KernelPlan#ROW_DOTS_MAX_ROWS} rows take {@link RowDots} instead (K in the
 * lanes: rows in lanes leave a small batch broadcast-bound and padded), and rows are packed in tiles of 64,
 * 32, 16 and 8 ({@link GemmLanes#tile12x2} and the like for the last ones).
 */
final class PanelGemm {
  /**
   * Weight rows per decoded panel: a multiple of the tile's 6. Few rows with a long K run beat 96 × 128 (FP8
   * per-row: 88-91 against 108-117 GFLOP/s at 64 rows; the others level): the decoders loop over fewer,
   * longer rows, and the panel (24 KiB) leaves the L1 to the x slice.
   */
  static final int PANEL_ROWS = 12;
  /** K per decoded panel: a multiple of every format's block (16, 32, 128). */
  static final int DEPTH = 512;
  /** K per run of the micro-kernels over one x slice: 64 rows × 128 k = 32 KiB, kept in the L1. */
  static final int SLICE = 128;

  /** K per partial sum of the scalar path (a divisor of {@link #DEPTH}). */
  private static final int SCALAR_SLICE = 256;

  private static final boolean VECTOR = KernelPlan.current().gemmLanes();

  private PanelGemm() {}

  /** Activation rows laid out for {@link #multiply(WeightPanels, Packed, int, int, float[], int, int)}. */
  static final class Packed {
    final float[] values;
    final int rows;
    final int cols;
    /** Rows rounded up to whole vectors (the vector layout), or {@code rows} (the scalar one: x itself). */
    final int paddedRows;
    /** Whether {@link RowDots} multiplies these rows: then {@code values} is x itself, row-major. */
    final boolean rowDots;

    private Packed(float[] values, int rows, int cols, int paddedRows, boolean rowDots) {
      this.values = values;
      this.rows = rows;
      this.cols = cols;
      this.paddedRows = paddedRows;
      this.rowDots = rowDots;
    }
  }

  /**
   * {@code y[r · N + n] = Σ_k x[r · K + k] · W[n][k]} for every row {@code r < rows} and {@code n} in
   * {@code [from, to)}; y gets the raw sums (no bias).
   */
  static void multiply(WeightPanels weights, float[] x, int rows, float[] y, int from, int to) {
    multiply(weights, pack(x, rows, weights.cols()), from, to, y, from, weights.rows());
  }

  /**
   * Packs {@code rows} rows of {@code cols} values: once per call, shared by all column chunks (threads),
   * since it costs {@code rows · cols} moves against {@code rows · cols · N} FMAs.
   */
  static Packed pack(float[] x, int rows, int cols) {
    KernelPlan.Loop loop = KernelPlan.current().panelLoop(rows);
    if (loop == KernelPlan.Loop.SCALAR_PANELS) {
      return new Packed(x, rows, cols, rows, false);
    }
    if (loop == KernelPlan.Loop.ROW_DOTS) {
      return new Packed(x, rows, cols, rows, true);
    }
    // With the half tile, rows are padded to 8 rather than 16: 5-8 rows then waste at most 3 lanes.
    int lanes = GemmLanes.WIDE_TILES ? GemmLanes.HALF_LENGTH : GemmLanes.LENGTH;
    int padded = (rows + lanes - 1) / lanes * lanes;
    float[] xt = new float[padded * cols];
    for (int m0 = 0; m0 < padded; m0 += tileWidth(padded - m0)) {
      int width = tileWidth(padded - m0);
      int base = m0 * cols;
      for (int i = 0; i < width && m0 + i < rows; i++) {
        int src = (m0 + i) * cols;
        for (int k = 0; k < cols; k++) {
          xt[base + k * width + i] = x[src + k];
        }
      }
    }
    return new Packed(xt, rows, cols, padded, false);
  }

  /** The rows of the next packed tile when {@code left} (padded) rows remain: widest first. */
  private static int tileWidth(int left) {
    if (!GemmLanes.WIDE_TILES) {
      return Math.min(GemmLanes.TILE, left);
    }
    // Padded rows are a multiple of 8, so each step below leaves a multiple of 8.
    return left >= GemmLanes.WIDE ? GemmLanes.WIDE
        : left >= GemmLanes.TILE ? GemmLanes.TILE
            : left >= GemmLanes.LENGTH ? GemmLanes.LENGTH
                : GemmLanes.HALF_LENGTH;
  }

  /**
   * The raw sums for columns {@code [from, to)} written to {@code y[yOffset + r · yStride + (n - from)]}, as
   * {@link PackedLinear#computeColumns} places them.
   */
  static void multiply(WeightPanels weights, Packed x, int from, int to, float[] y, int yOffset,
      int yStride) {
    int cols = weights.cols();
    if (x.cols != cols) {
      throw new IllegalArgumentException("x packed with " + x.cols + " columns for a weight of " + cols);
    }
    if (x.rowDots) {
      RowDots.multiply(weights, x.values, x.rows, from, to, y, yOffset, yStride);
      return;
    }
    int padded = x.paddedRows;
    float[] panel = new float[PANEL_ROWS * DEPTH];
    // The kernels read rows DEPTH apart; a shorter last slice of K is decoded here, then spread out.
    float[] tail = cols % DEPTH == 0 ? null : new float[PANEL_ROWS * (cols % DEPTH)];
    float[] yT = new float[PANEL_ROWS * padded];
    for (int n0 = from; n0 < to; n0 += PANEL_ROWS) {
      int count = Math.min(PANEL_ROWS, to - n0);
      int tiles = (count + GemmLanes.NR - 1) / GemmLanes.NR;
      // The 12-row tiles sum all of the panel's rows, those past count too (their sums are never copied out).
      Arrays.fill(yT, 0f);
      for (int k0 = 0; k0 < cols; k0 += DEPTH) {
        int depth = Math.min(DEPTH, cols - k0);
        decode(weights, n0, count, k0, depth, panel, tail);
        if (VECTOR) {
          vectorPanel(panel, depth, tiles, x, k0, yT);
        } else {
          scalarPanel(panel, depth, count, x, k0, yT);
        }
      }
      for (int r = 0; r < x.rows; r++) {
        int at = yOffset + r * yStride + n0 - from;
        for (int j = 0; j < count; j++) {
          y[at + j] = yT[j * padded + r];
        }
      }
    }
  }

  /**
   * Decodes {@code count} weight rows from {@code n0}, {@code [k0, k0 + depth)}, into {@code panel} with rows
   * {@link #DEPTH} apart; a shorter slice goes through {@code tail} (rows {@code depth} apart, as the formats
   * write them).
   */
  static void decode(WeightPanels weights, int n0, int count, int k0, int depth, float[] panel,
      float[] tail) {
    if (depth == DEPTH) {
      weights.decode(n0, count, k0, depth, panel);
    } else {
      weights.decode(n0, count, k0, depth, tail);
      for (int j = 0; j < count; j++) {
        System.arraycopy(tail, j * depth, panel, j * DEPTH, depth);
      }
    }
  }

  private static void vectorPanel(float[] panel, int depth, int tiles, Packed x, int k0, float[] yT) {
    int padded = x.paddedRows;
    for (int s = 0; s < depth; s += SLICE) {
      int kc = Math.min(SLICE, depth - s);
      for (int m0 = 0; m0 < padded; m0 += tileWidth(padded - m0)) {
        int width = tileWidth(padded - m0);
        int x0 = m0 * x.cols + (k0 + s) * width;
        if (GemmLanes.WIDE_TILES && width != GemmLanes.WIDE) {
          // Fewer than 64 rows: one tile of all 12 panel rows, enough FMA chains to hide the latency.
          if (width == GemmLanes.TILE) {
            GemmLanes.tile12x2(panel, s, x.values, x0, kc, yT, m0, padded);
          } else if (width == GemmLanes.LENGTH) {
            GemmLanes.tile12x1(panel, s, x.values, x0, kc, yT, m0, padded);
          } else {
            GemmLanes.tile12x1Half(panel, s, x.values, x0, kc, yT, m0, padded);
          }
          continue;
        }
        for (int t = 0; t < tiles; t++) {
          int j0 = t * GemmLanes.NR;
          int p0 = j0 * DEPTH + s;
          int y0 = j0 * padded + m0;
          if (width == GemmLanes.WIDE) {
            GemmLanes.tile6x4(panel, p0, x.values, x0, kc, yT, y0, padded);
          } else if (width == GemmLanes.TILE) {
            GemmLanes.tile6x2(panel, p0, x.values, x0, kc, yT, y0, padded);
          } else {
            GemmLanes.tile6x1(panel, p0, x.values, x0, kc, yT, y0, padded);
          }
        }
      }
    }
  }

  /** The scalar path's sums run over 256 k before they are added to yT, as they always have. */
  private static void scalarPanel(float[] panel, int depth, int count, Packed x, int k0, float[] yT) {
    int cols = x.cols;
    for (int s = 0; s < depth; s += SCALAR_SLICE) {
      int end = Math.min(depth, s + SCALAR_SLICE);
      for (int j = 0; j < count; j++) {
        for (int r = 0; r < x.rows; r++) {
          float sum = 0;
          for (int i = s; i < end; i++) {
            sum += x.values[r * cols + k0 + i] * panel[j * DEPTH + i];
          }
          yT[j * x.paddedRows + r] += sum;
        }
      }
    }
  }
}
