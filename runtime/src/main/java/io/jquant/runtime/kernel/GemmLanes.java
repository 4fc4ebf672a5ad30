package io.jquant.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector micro-kernels of {@link PanelGemm}. They run on activation rows as vector lanes: x is packed
 * transposed ({@code k}-major, one tile of rows wide), each weight value of a panel is broadcast to all lanes
 * and multiplied into the rows' accumulators. A tile is 6 weight rows × 4 vectors of rows ({@link #WIDE}): 24
 * accumulators, 4 x vectors and one broadcast (29 of the 32 zmm registers), so every broadcast and x load
 * serves 4 or 6 FMAs; narrower tiles (2 and 1 vectors) take the rows left over, and all rows without AVX-512
 * ({@link #WIDE_TILES}). Every weight value read from the panel serves a whole tile of activation rows
 * without any transpose of the decoded weights.
 *
 * <p>Two details keep the loops FMA-bound rather than issue-bound (measured in the L1, 64 rows × 128 k: 6×4
 * tile at 0.85 of the FMA yardstick against 0.70 for the 6×2 tile with a variable row stride): the panel's
 * row stride is the constant {@link PanelGemm#DEPTH}, so the six broadcasts address
 * {@code panel[p + j · DEPTH]} off one index with constant displacements instead of six address computations
 * per k; and the accumulators start from the partial sums in {@code yT} and are stored back, so each output
 * is one FMA chain in k order over all of K (and the method stays under C2's node budget: the zero-then-add
 * form of the 6×4 tile failed to inline its vector calls and ran 20× slower). Call only when
 * {@link #enabled()}.
 */
final class GemmLanes {
  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  /** Float lanes: 16 with AVX-512, 8 with AVX2. */
  static final int LENGTH = FLOATS.length();
  /** Activation rows per narrow tile: two vectors. */
  static final int TILE = 2 * LENGTH;
  /** Activation rows per wide tile: four vectors. */
  static final int WIDE = 4 * LENGTH;
  /**
   * Whether the 6×4 tile runs: it needs 29 vector registers, which AVX-512 has (32) and AVX2 has not (16: its
   * accumulators would spill), so 8-lane machines keep the 6×2 tile (15 registers).
   */
  static final boolean WIDE_TILES = LENGTH >= 16;
  /** Weight rows per tile. */
  static final int NR = 6;
  /** Half a vector of floats (8 lanes) for the last few rows; only used with {@link #WIDE_TILES}. */
  static final VectorSpecies<Float> HALF = WIDE_TILES ? FloatVector.SPECIES_256 : FLOATS;
  /** Activation rows per half tile. */
  static final int HALF_LENGTH = HALF.length();
  private static final int DEPTH = PanelGemm.DEPTH;

  private GemmLanes() {}

  /** Whether the vector tiles run (8 or more float lanes). */
  static boolean enabled() {
    return LENGTH >= 8;
  }

  /**
   * {@code yT[y0 + j · yStride + i] += Σ_{k < kc} panel[p0 + j · DEPTH + k] · xt[x0 + k · WIDE + i]} for
   * {@code j < 6}, {@code i < WIDE}, as one FMA chain per output continuing from the value in {@code yT}.
   */
  static void tile6x4(float[] panel, int p0, float[] xt, int x0, int kc, float[] yT, int y0, int yStride) {
    int y1 = y0 + yStride;
    int y2 = y1 + yStride;
    int y3 = y2 + yStride;
    int y4 = y3 + yStride;
    int y5 = y4 + yStride;
    FloatVector a00 = FloatVector.fromArray(FLOATS, yT, y0);
    FloatVector a01 = FloatVector.fromArray(FLOATS, yT, y0 + LENGTH);
    FloatVector a02 = FloatVector.fromArray(FLOATS, yT, y0 + 2 * LENGTH);
    FloatVector a03 = FloatVector.fromArray(FLOATS, yT, y0 + 3 * LENGTH);
    FloatVector a10 = FloatVector.fromArray(FLOATS, yT, y1);
    FloatVector a11 = FloatVector.fromArray(FLOATS, yT, y1 + LENGTH);
    FloatVector a12 = FloatVector.fromArray(FLOATS, yT, y1 + 2 * LENGTH);
    FloatVector a13 = FloatVector.fromArray(FLOATS, yT, y1 + 3 * LENGTH);
    FloatVector a20 = FloatVector.fromArray(FLOATS, yT, y2);
    FloatVector a21 = FloatVector.fromArray(FLOATS, yT, y2 + LENGTH);
    FloatVector a22 = FloatVector.fromArray(FLOATS, yT, y2 + 2 * LENGTH);
    FloatVector a23 = FloatVector.fromArray(FLOATS, yT, y2 + 3 * LENGTH);
    FloatVector a30 = FloatVector.fromArray(FLOATS, yT, y3);
    FloatVector a31 = FloatVector.fromArray(FLOATS, yT, y3 + LENGTH);
    FloatVector a32 = FloatVector.fromArray(FLOATS, yT, y3 + 2 * LENGTH);
    FloatVector a33 = FloatVector.fromArray(FLOATS, yT, y3 + 3 * LENGTH);
    FloatVector a40 = FloatVector.fromArray(FLOATS, yT, y4);
    FloatVector a41 = FloatVector.fromArray(FLOATS, yT, y4 + LENGTH);
    FloatVector a42 = FloatVector.fromArray(FLOATS, yT, y4 + 2 * LENGTH);
    FloatVector a43 = FloatVector.fromArray(FLOATS, yT, y4 + 3 * LENGTH);
    FloatVector a50 = FloatVector.fromArray(FLOATS, yT, y5);
    FloatVector a51 = FloatVector.fromArray(FLOATS, yT, y5 + LENGTH);
    FloatVector a52 = FloatVector.fromArray(FLOATS, yT, y5 + 2 * LENGTH);
    FloatVector a53 = FloatVector.fromArray(FLOATS, yT, y5 + 3 * LENGTH);
    for (int k = 0, xi = x0, p = p0; k < kc; k++, xi += WIDE, p++) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, xt, xi);
      FloatVector v1 = FloatVector.fromArray(FLOATS, xt, xi + LENGTH);
      FloatVector v2 = FloatVector.fromArray(FLOATS, xt, xi + 2 * LENGTH);
      FloatVector v3 = FloatVector.fromArray(FLOATS, xt, xi + 3 * LENGTH);
      FloatVector w = FloatVector.broadcast(FLOATS, panel[p]);
      a00 = v0.fma(w, a00);
      a01 = v1.fma(w, a01);
      a02 = v2.fma(w, a02);
      a03 = v3.fma(w, a03);
      w = FloatVector.broadcast(FLOATS, panel[p + DEPTH]);
      a10 = v0.fma(w, a10);
      a11 = v1.fma(w, a11);
      a12 = v2.fma(w, a12);
      a13 = v3.fma(w, a13);
      w = FloatVector.broadcast(FLOATS, panel[p + 2 * DEPTH]);
      a20 = v0.fma(w, a20);
      a21 = v1.fma(w, a21);
      a22 = v2.fma(w, a22);
      a23 = v3.fma(w, a23);
      w = FloatVector.broadcast(FLOATS, panel[p + 3 * DEPTH]);
      a30 = v0.fma(w, a30);
      a31 = v1.fma(w, a31);
      a32 = v2.fma(w, a32);
      a33 = v3.fma(w, a33);
      w = FloatVector.broadcast(FLOATS, panel[p + 4 * DEPTH]);
      a40 = v0.fma(w, a40);
      a41 = v1.fma(w, a41);
      a42 = v2.fma(w, a42);
      a43 = v3.fma(w, a43);
      w = FloatVector.broadcast(FLOATS, panel[p + 5 * DEPTH]);
      a50 = v0.fma(w, a50);
      a51 = v1.fma(w, a51);
      a52 = v2.fma(w, a52);
      a53 = v3.fma(w, a53);
    }
    a00.intoArray(yT, y0);
    a01.intoArray(yT, y0 + LENGTH);
    a02.intoArray(yT, y0 + 2 * LENGTH);
    a03.intoArray(yT, y0 + 3 * LENGTH);
    a10.intoArray(yT, y1);
    a11.intoArray(yT, y1 + LENGTH);
    a12.intoArray(yT, y1 + 2 * LENGTH);
    a13.intoArray(yT, y1 + 3 * LENGTH);
    a20.intoArray(yT, y2);
    a21.intoArray(yT, y2 + LENGTH);
    a22.intoArray(yT, y2 + 2 * LENGTH);
    a23.intoArray(yT, y2 + 3 * LENGTH);
    a30.intoArray(yT, y3);
    a31.intoArray(yT, y3 + LENGTH);
    a32.intoArray(yT, y3 + 2 * LENGTH);
    a33.intoArray(yT, y3 + 3 * LENGTH);
    a40.intoArray(yT, y4);
    a41.intoArray(yT, y4 + LENGTH);
    a42.intoArray(yT, y4 + 2 * LENGTH);
    a43.intoArray(yT, y4 + 3 * LENGTH);
    a50.intoArray(yT, y5);
    a51.intoArray(yT, y5 + LENGTH);
    a52.intoArray(yT, y5 + 2 * LENGTH);
    a53.intoArray(yT, y5 + 3 * LENGTH);
  }

  /** {@link #tile6x4} for a tile of {@link #TILE} rows ({@code xt} rows {@link #TILE} wide). */
  static void tile6x2(float[] panel, int p0, float[] xt, int x0, int kc, float[] yT, int y0, int yStride) {
    int y1 = y0 + yStride;
    int y2 = y1 + yStride;
    int y3 = y2 + yStride;
    int y4 = y3 + yStride;
    int y5 = y4 + yStride;
    FloatVector a00 = FloatVector.fromArray(FLOATS, yT, y0);
    FloatVector a01 = FloatVector.fromArray(FLOATS, yT, y0 + LENGTH);
    FloatVector a10 = FloatVector.fromArray(FLOATS, yT, y1);
    FloatVector a11 = FloatVector.fromArray(FLOATS, yT, y1 + LENGTH);
    FloatVector a20 = FloatVector.fromArray(FLOATS, yT, y2);
    FloatVector a21 = FloatVector.fromArray(FLOATS, yT, y2 + LENGTH);
    FloatVector a30 = FloatVector.fromArray(FLOATS, yT, y3);
    FloatVector a31 = FloatVector.fromArray(FLOATS, yT, y3 + LENGTH);
    FloatVector a40 = FloatVector.fromArray(FLOATS, yT, y4);
    FloatVector a41 = FloatVector.fromArray(FLOATS, yT, y4 + LENGTH);
    FloatVector a50 = FloatVector.fromArray(FLOATS, yT, y5);
    FloatVector a51 = FloatVector.fromArray(FLOATS, yT, y5 + LENGTH);
    for (int k = 0, xi = x0, p = p0; k < kc; k++, xi += TILE, p++) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, xt, xi);
      FloatVector v1 = FloatVector.fromArray(FLOATS, xt, xi + LENGTH);
      FloatVector w = FloatVector.broadcast(FLOATS, panel[p]);
      a00 = v0.fma(w, a00);
      a01 = v1.fma(w, a01);
      w = FloatVector.broadcast(FLOATS, panel[p + DEPTH]);
      a10 = v0.fma(w, a10);
      a11 = v1.fma(w, a11);
      w = FloatVector.broadcast(FLOATS, panel[p + 2 * DEPTH]);
      a20 = v0.fma(w, a20);
      a21 = v1.fma(w, a21);
      w = FloatVector.broadcast(FLOATS, panel[p + 3 * DEPTH]);
      a30 = v0.fma(w, a30);
      a31 = v1.fma(w, a31);
      w = FloatVector.broadcast(FLOATS, panel[p + 4 * DEPTH]);
      a40 = v0.fma(w, a40);
      a41 = v1.fma(w, a41);
      w = FloatVector.broadcast(FLOATS, panel[p + 5 * DEPTH]);
      a50 = v0.fma(w, a50);
      a51 = v1.fma(w, a51);
    }
    a00.intoArray(yT, y0);
    a01.intoArray(yT, y0 + LENGTH);
    a10.intoArray(yT, y1);
    a11.intoArray(yT, y1 + LENGTH);
    a20.intoArray(yT, y2);
    a21.intoArray(yT, y2 + LENGTH);
    a30.intoArray(yT, y3);
    a31.intoArray(yT, y3 + LENGTH);
    a40.intoArray(yT, y4);
    a41.intoArray(yT, y4 + LENGTH);
    a50.intoArray(yT, y5);
    a51.intoArray(yT, y5 + LENGTH);
  }

  /** {@link #tile6x4} for a last tile of {@link #LENGTH} rows. */
  static void tile6x1(float[] panel, int p0, float[] xt, int x0, int kc, float[] yT, int y0, int yStride) {
    int y1 = y0 + yStride;
    int y2 = y1 + yStride;
    int y3 = y2 + yStride;
    int y4 = y3 + yStride;
    int y5 = y4 + yStride;
    FloatVector a00 = FloatVector.fromArray(FLOATS, yT, y0);
    FloatVector a10 = FloatVector.fromArray(FLOATS, yT, y1);
    FloatVector a20 = FloatVector.fromArray(FLOATS, yT, y2);
    FloatVector a30 = FloatVector.fromArray(FLOATS, yT, y3);
    FloatVector a40 = FloatVector.fromArray(FLOATS, yT, y4);
    FloatVector a50 = FloatVector.fromArray(FLOATS, yT, y5);
    for (int k = 0, xi = x0, p = p0; k < kc; k++, xi += LENGTH, p++) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, xt, xi);
      FloatVector w = FloatVector.broadcast(FLOATS, panel[p]);
      a00 = v0.fma(w, a00);
      w = FloatVector.broadcast(FLOATS, panel[p + DEPTH]);
      a10 = v0.fma(w, a10);
      w = FloatVector.broadcast(FLOATS, panel[p + 2 * DEPTH]);
      a20 = v0.fma(w, a20);
      w = FloatVector.broadcast(FLOATS, panel[p + 3 * DEPTH]);
      a30 = v0.fma(w, a30);
      w = FloatVector.broadcast(FLOATS, panel[p + 4 * DEPTH]);
      a40 = v0.fma(w, a40);
      w = FloatVector.broadcast(FLOATS, panel[p + 5 * DEPTH]);
      a50 = v0.fma(w, a50);
    }
    a00.intoArray(yT, y0);
    a10.intoArray(yT, y1);
    a20.intoArray(yT, y2);
    a30.intoArray(yT, y3);
    a40.intoArray(yT, y4);
    a50.intoArray(yT, y5);
  }

  /**
   * The 32-row tile of small batches: 12 weight rows (a whole panel) × 2 vectors, 24 accumulators, 14 loads
   * per 24 FMAs. Otherwise as {@link #tile6x4}. Only with {@link #WIDE_TILES} (27 registers).
   */
  static void tile12x2(float[] panel, int p0, float[] xt, int x0, int kc, float[] yT, int y0, int yStride) {
    FloatVector a0_0 = FloatVector.fromArray(FLOATS, yT, y0);
    FloatVector a0_1 = FloatVector.fromArray(FLOATS, yT, y0 + LENGTH);
    FloatVector a1_0 = FloatVector.fromArray(FLOATS, yT, y0 + yStride);
    FloatVector a1_1 = FloatVector.fromArray(FLOATS, yT, y0 + yStride + LENGTH);
    FloatVector a2_0 = FloatVector.fromArray(FLOATS, yT, y0 + 2 * yStride);
    FloatVector a2_1 = FloatVector.fromArray(FLOATS, yT, y0 + 2 * yStride + LENGTH);
    FloatVector a3_0 = FloatVector.fromArray(FLOATS, yT, y0 + 3 * yStride);
    FloatVector a3_1 = FloatVector.fromArray(FLOATS, yT, y0 + 3 * yStride + LENGTH);
    FloatVector a4_0 = FloatVector.fromArray(FLOATS, yT, y0 + 4 * yStride);
    FloatVector a4_1 = FloatVector.fromArray(FLOATS, yT, y0 + 4 * yStride + LENGTH);
    FloatVector a5_0 = FloatVector.fromArray(FLOATS, yT, y0 + 5 * yStride);
    FloatVector a5_1 = FloatVector.fromArray(FLOATS, yT, y0 + 5 * yStride + LENGTH);
    FloatVector a6_0 = FloatVector.fromArray(FLOATS, yT, y0 + 6 * yStride);
    FloatVector a6_1 = FloatVector.fromArray(FLOATS, yT, y0 + 6 * yStride + LENGTH);
    FloatVector a7_0 = FloatVector.fromArray(FLOATS, yT, y0 + 7 * yStride);
    FloatVector a7_1 = FloatVector.fromArray(FLOATS, yT, y0 + 7 * yStride + LENGTH);
    FloatVector a8_0 = FloatVector.fromArray(FLOATS, yT, y0 + 8 * yStride);
    FloatVector a8_1 = FloatVector.fromArray(FLOATS, yT, y0 + 8 * yStride + LENGTH);
    FloatVector a9_0 = FloatVector.fromArray(FLOATS, yT, y0 + 9 * yStride);
    FloatVector a9_1 = FloatVector.fromArray(FLOATS, yT, y0 + 9 * yStride + LENGTH);
    FloatVector a10_0 = FloatVector.fromArray(FLOATS, yT, y0 + 10 * yStride);
    FloatVector a10_1 = FloatVector.fromArray(FLOATS, yT, y0 + 10 * yStride + LENGTH);
    FloatVector a11_0 = FloatVector.fromArray(FLOATS, yT, y0 + 11 * yStride);
    FloatVector a11_1 = FloatVector.fromArray(FLOATS, yT, y0 + 11 * yStride + LENGTH);
    for (int k = 0, xi = x0, p = p0; k < kc; k++, xi += 2 * LENGTH, p++) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, xt, xi);
      FloatVector v1 = FloatVector.fromArray(FLOATS, xt, xi + LENGTH);
      FloatVector w = FloatVector.broadcast(FLOATS, panel[p]);
      a0_0 = v0.fma(w, a0_0);
      a0_1 = v1.fma(w, a0_1);
      w = FloatVector.broadcast(FLOATS, panel[p + DEPTH]);
      a1_0 = v0.fma(w, a1_0);
      a1_1 = v1.fma(w, a1_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 2 * DEPTH]);
      a2_0 = v0.fma(w, a2_0);
      a2_1 = v1.fma(w, a2_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 3 * DEPTH]);
      a3_0 = v0.fma(w, a3_0);
      a3_1 = v1.fma(w, a3_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 4 * DEPTH]);
      a4_0 = v0.fma(w, a4_0);
      a4_1 = v1.fma(w, a4_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 5 * DEPTH]);
      a5_0 = v0.fma(w, a5_0);
      a5_1 = v1.fma(w, a5_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 6 * DEPTH]);
      a6_0 = v0.fma(w, a6_0);
      a6_1 = v1.fma(w, a6_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 7 * DEPTH]);
      a7_0 = v0.fma(w, a7_0);
      a7_1 = v1.fma(w, a7_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 8 * DEPTH]);
      a8_0 = v0.fma(w, a8_0);
      a8_1 = v1.fma(w, a8_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 9 * DEPTH]);
      a9_0 = v0.fma(w, a9_0);
      a9_1 = v1.fma(w, a9_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 10 * DEPTH]);
      a10_0 = v0.fma(w, a10_0);
      a10_1 = v1.fma(w, a10_1);
      w = FloatVector.broadcast(FLOATS, panel[p + 11 * DEPTH]);
      a11_0 = v0.fma(w, a11_0);
      a11_1 = v1.fma(w, a11_1);
    }
    a0_0.intoArray(yT, y0);
    a0_1.intoArray(yT, y0 + LENGTH);
    a1_0.intoArray(yT, y0 + yStride);
    a1_1.intoArray(yT, y0 + yStride + LENGTH);
    a2_0.intoArray(yT, y0 + 2 * yStride);
    a2_1.intoArray(yT, y0 + 2 * yStride + LENGTH);
    a3_0.intoArray(yT, y0 + 3 * yStride);
    a3_1.intoArray(yT, y0 + 3 * yStride + LENGTH);
    a4_0.intoArray(yT, y0 + 4 * yStride);
    a4_1.intoArray(yT, y0 + 4 * yStride + LENGTH);
    a5_0.intoArray(yT, y0 + 5 * yStride);
    a5_1.intoArray(yT, y0 + 5 * yStride + LENGTH);
    a6_0.intoArray(yT, y0 + 6 * yStride);
    a6_1.intoArray(yT, y0 + 6 * yStride + LENGTH);
    a7_0.intoArray(yT, y0 + 7 * yStride);
    a7_1.intoArray(yT, y0 + 7 * yStride + LENGTH);
    a8_0.intoArray(yT, y0 + 8 * yStride);
    a8_1.intoArray(yT, y0 + 8 * yStride + LENGTH);
    a9_0.intoArray(yT, y0 + 9 * yStride);
    a9_1.intoArray(yT, y0 + 9 * yStride + LENGTH);
    a10_0.intoArray(yT, y0 + 10 * yStride);
    a10_1.intoArray(yT, y0 + 10 * yStride + LENGTH);
    a11_0.intoArray(yT, y0 + 11 * yStride);
    a11_1.intoArray(yT, y0 + 11 * yStride + LENGTH);
  }

  /**
   * The one-vector tile of small batches: 12 weight rows × {@link #LENGTH} activation rows, 12 independent
   * FMA chains (the 6×1 tile's 6 could not cover the FMA latency on two ports). Only with
   * {@link #WIDE_TILES}.
   */
  static void tile12x1(float[] panel, int p0, float[] xt, int x0, int kc, float[] yT, int y0, int yStride) {
    FloatVector a0_0 = FloatVector.fromArray(FLOATS, yT, y0);
    FloatVector a1_0 = FloatVector.fromArray(FLOATS, yT, y0 + yStride);
    FloatVector a2_0 = FloatVector.fromArray(FLOATS, yT, y0 + 2 * yStride);
    FloatVector a3_0 = FloatVector.fromArray(FLOATS, yT, y0 + 3 * yStride);
    FloatVector a4_0 = FloatVector.fromArray(FLOATS, yT, y0 + 4 * yStride);
    FloatVector a5_0 = FloatVector.fromArray(FLOATS, yT, y0 + 5 * yStride);
    FloatVector a6_0 = FloatVector.fromArray(FLOATS, yT, y0 + 6 * yStride);
    FloatVector a7_0 = FloatVector.fromArray(FLOATS, yT, y0 + 7 * yStride);
    FloatVector a8_0 = FloatVector.fromArray(FLOATS, yT, y0 + 8 * yStride);
    FloatVector a9_0 = FloatVector.fromArray(FLOATS, yT, y0 + 9 * yStride);
    FloatVector a10_0 = FloatVector.fromArray(FLOATS, yT, y0 + 10 * yStride);
    FloatVector a11_0 = FloatVector.fromArray(FLOATS, yT, y0 + 11 * yStride);
    for (int k = 0, xi = x0, p = p0; k < kc; k++, xi += LENGTH, p++) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, xt, xi);
      FloatVector w = FloatVector.broadcast(FLOATS, panel[p]);
      a0_0 = v0.fma(w, a0_0);
      w = FloatVector.broadcast(FLOATS, panel[p + DEPTH]);
      a1_0 = v0.fma(w, a1_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 2 * DEPTH]);
      a2_0 = v0.fma(w, a2_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 3 * DEPTH]);
      a3_0 = v0.fma(w, a3_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 4 * DEPTH]);
      a4_0 = v0.fma(w, a4_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 5 * DEPTH]);
      a5_0 = v0.fma(w, a5_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 6 * DEPTH]);
      a6_0 = v0.fma(w, a6_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 7 * DEPTH]);
      a7_0 = v0.fma(w, a7_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 8 * DEPTH]);
      a8_0 = v0.fma(w, a8_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 9 * DEPTH]);
      a9_0 = v0.fma(w, a9_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 10 * DEPTH]);
      a10_0 = v0.fma(w, a10_0);
      w = FloatVector.broadcast(FLOATS, panel[p + 11 * DEPTH]);
      a11_0 = v0.fma(w, a11_0);
    }
    a0_0.intoArray(yT, y0);
    a1_0.intoArray(yT, y0 + yStride);
    a2_0.intoArray(yT, y0 + 2 * yStride);
    a3_0.intoArray(yT, y0 + 3 * yStride);
    a4_0.intoArray(yT, y0 + 4 * yStride);
    a5_0.intoArray(yT, y0 + 5 * yStride);
    a6_0.intoArray(yT, y0 + 6 * yStride);
    a7_0.intoArray(yT, y0 + 7 * yStride);
    a8_0.intoArray(yT, y0 + 8 * yStride);
    a9_0.intoArray(yT, y0 + 9 * yStride);
    a10_0.intoArray(yT, y0 + 10 * yStride);
    a11_0.intoArray(yT, y0 + 11 * yStride);
  }

  /**
   * {@link #tile12x1} on half vectors ({@link #HALF_LENGTH} rows), for the last 8 or fewer activation rows:
   * 5-8 rows waste at most 3 lanes of 8 instead of 11 of 16. Only with {@link #WIDE_TILES}.
   */
  static void tile12x1Half(float[] panel, int p0, float[] xt, int x0, int kc, float[] yT, int y0,
      int yStride) {
    FloatVector a0_0 = FloatVector.fromArray(HALF, yT, y0);
    FloatVector a1_0 = FloatVector.fromArray(HALF, yT, y0 + yStride);
    FloatVector a2_0 = FloatVector.fromArray(HALF, yT, y0 + 2 * yStride);
    FloatVector a3_0 = FloatVector.fromArray(HALF, yT, y0 + 3 * yStride);
    FloatVector a4_0 = FloatVector.fromArray(HALF, yT, y0 + 4 * yStride);
    FloatVector a5_0 = FloatVector.fromArray(HALF, yT, y0 + 5 * yStride);
    FloatVector a6_0 = FloatVector.fromArray(HALF, yT, y0 + 6 * yStride);
    FloatVector a7_0 = FloatVector.fromArray(HALF, yT, y0 + 7 * yStride);
    FloatVector a8_0 = FloatVector.fromArray(HALF, yT, y0 + 8 * yStride);
    FloatVector a9_0 = FloatVector.fromArray(HALF, yT, y0 + 9 * yStride);
    FloatVector a10_0 = FloatVector.fromArray(HALF, yT, y0 + 10 * yStride);
    FloatVector a11_0 = FloatVector.fromArray(HALF, yT, y0 + 11 * yStride);
    for (int k = 0, xi = x0, p = p0; k < kc; k++, xi += HALF_LENGTH, p++) {
      FloatVector v0 = FloatVector.fromArray(HALF, xt, xi);
      FloatVector w = FloatVector.broadcast(HALF, panel[p]);
      a0_0 = v0.fma(w, a0_0);
      w = FloatVector.broadcast(HALF, panel[p + DEPTH]);
      a1_0 = v0.fma(w, a1_0);
      w = FloatVector.broadcast(HALF, panel[p + 2 * DEPTH]);
      a2_0 = v0.fma(w, a2_0);
      w = FloatVector.broadcast(HALF, panel[p + 3 * DEPTH]);
      a3_0 = v0.fma(w, a3_0);
      w = FloatVector.broadcast(HALF, panel[p + 4 * DEPTH]);
      a4_0 = v0.fma(w, a4_0);
      w = FloatVector.broadcast(HALF, panel[p + 5 * DEPTH]);
      a5_0 = v0.fma(w, a5_0);
      w = FloatVector.broadcast(HALF, panel[p + 6 * DEPTH]);
      a6_0 = v0.fma(w, a6_0);
      w = FloatVector.broadcast(HALF, panel[p + 7 * DEPTH]);
      a7_0 = v0.fma(w, a7_0);
      w = FloatVector.broadcast(HALF, panel[p + 8 * DEPTH]);
      a8_0 = v0.fma(w, a8_0);
      w = FloatVector.broadcast(HALF, panel[p + 9 * DEPTH]);
      a9_0 = v0.fma(w, a9_0);
      w = FloatVector.broadcast(HALF, panel[p + 10 * DEPTH]);
      a10_0 = v0.fma(w, a10_0);
      w = FloatVector.broadcast(HALF, panel[p + 11 * DEPTH]);
      a11_0 = v0.fma(w, a11_0);
    }
    a0_0.intoArray(yT, y0);
    a1_0.intoArray(yT, y0 + yStride);
    a2_0.intoArray(yT, y0 + 2 * yStride);
    a3_0.intoArray(yT, y0 + 3 * yStride);
    a4_0.intoArray(yT, y0 + 4 * yStride);
    a5_0.intoArray(yT, y0 + 5 * yStride);
    a6_0.intoArray(yT, y0 + 6 * yStride);
    a7_0.intoArray(yT, y0 + 7 * yStride);
    a8_0.intoArray(yT, y0 + 8 * yStride);
    a9_0.intoArray(yT, y0 + 9 * yStride);
    a10_0.intoArray(yT, y0 + 10 * yStride);
    a11_0.intoArray(yT, y0 + 11 * yStride);
  }
}
