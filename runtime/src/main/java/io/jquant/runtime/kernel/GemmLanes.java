package io.jquant.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector micro-kernels of {@link PanelGemm}. They run on activation rows as vector lanes: x is packed
 * transposed ({@code k}-major, {@link #TILE} rows wide), each weight value of a panel is broadcast to all
 * lanes and multiplied into the rows' accumulators. A tile is 6 weight rows × 2 vectors of rows: 12
 * accumulators, 2 x vectors and one broadcast, so C2 keeps it all in registers (a 4×4 block spilled, STYLE.md
 * part 2 pitfall 6), and every weight value read from the panel serves {@link #TILE} activation rows without
 * any transpose of the decoded weights. The sums land transposed in a small {@code yT[n][m]} block that
 * {@link PanelGemm} copies to y once per column block. Call only when {@link #enabled()}.
 */
final class GemmLanes {
  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  /** Float lanes: 16 with AVX-512, 8 with AVX2. */
  static final int LENGTH = FLOATS.length();
  /** Activation rows per tile: two vectors. */
  static final int TILE = 2 * LENGTH;
  /** Weight rows per tile. */
  static final int NR = 6;

  private GemmLanes() {}

  /** Whether the vector tiles run (8 or more float lanes). */
  static boolean enabled() {
    return LENGTH >= 8;
  }

  /**
   * {@code yT[y0 + j · yStride + i] += Σ_{k < kc} panel[p0 + j · depth + k] · xt[x0 + k · TILE + i]} for
   * {@code j < 6}, {@code i < TILE}.
   */
  static void tile6x2(float[] panel, int p0, int depth, float[] xt, int x0, int kc, float[] yT, int y0,
      int yStride) {
    FloatVector a00 = FloatVector.zero(FLOATS);
    FloatVector a01 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    FloatVector a40 = a00;
    FloatVector a41 = a00;
    FloatVector a50 = a00;
    FloatVector a51 = a00;
    int p1 = p0 + depth;
    int p2 = p1 + depth;
    int p3 = p2 + depth;
    int p4 = p3 + depth;
    int p5 = p4 + depth;
    for (int k = 0, xi = x0; k < kc; k++, xi += TILE) {
      FloatVector x0v = FloatVector.fromArray(FLOATS, xt, xi);
      FloatVector x1v = FloatVector.fromArray(FLOATS, xt, xi + LENGTH);
      FloatVector w = FloatVector.broadcast(FLOATS, panel[p0 + k]);
      a00 = x0v.fma(w, a00);
      a01 = x1v.fma(w, a01);
      w = FloatVector.broadcast(FLOATS, panel[p1 + k]);
      a10 = x0v.fma(w, a10);
      a11 = x1v.fma(w, a11);
      w = FloatVector.broadcast(FLOATS, panel[p2 + k]);
      a20 = x0v.fma(w, a20);
      a21 = x1v.fma(w, a21);
      w = FloatVector.broadcast(FLOATS, panel[p3 + k]);
      a30 = x0v.fma(w, a30);
      a31 = x1v.fma(w, a31);
      w = FloatVector.broadcast(FLOATS, panel[p4 + k]);
      a40 = x0v.fma(w, a40);
      a41 = x1v.fma(w, a41);
      w = FloatVector.broadcast(FLOATS, panel[p5 + k]);
      a50 = x0v.fma(w, a50);
      a51 = x1v.fma(w, a51);
    }
    add(yT, y0, a00, a01);
    add(yT, y0 + yStride, a10, a11);
    add(yT, y0 + 2 * yStride, a20, a21);
    add(yT, y0 + 3 * yStride, a30, a31);
    add(yT, y0 + 4 * yStride, a40, a41);
    add(yT, y0 + 5 * yStride, a50, a51);
  }

  /** {@link #tile6x2} for a last tile of one vector of rows ({@code xt} rows {@link #LENGTH} wide). */
  static void tile6x1(float[] panel, int p0, int depth, float[] xt, int x0, int kc, float[] yT, int y0,
      int yStride) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    FloatVector a5 = a0;
    int p1 = p0 + depth;
    int p2 = p1 + depth;
    int p3 = p2 + depth;
    int p4 = p3 + depth;
    int p5 = p4 + depth;
    for (int k = 0, xi = x0; k < kc; k++, xi += LENGTH) {
      FloatVector xv = FloatVector.fromArray(FLOATS, xt, xi);
      a0 = xv.fma(FloatVector.broadcast(FLOATS, panel[p0 + k]), a0);
      a1 = xv.fma(FloatVector.broadcast(FLOATS, panel[p1 + k]), a1);
      a2 = xv.fma(FloatVector.broadcast(FLOATS, panel[p2 + k]), a2);
      a3 = xv.fma(FloatVector.broadcast(FLOATS, panel[p3 + k]), a3);
      a4 = xv.fma(FloatVector.broadcast(FLOATS, panel[p4 + k]), a4);
      a5 = xv.fma(FloatVector.broadcast(FLOATS, panel[p5 + k]), a5);
    }
    add(yT, y0, a0);
    add(yT, y0 + yStride, a1);
    add(yT, y0 + 2 * yStride, a2);
    add(yT, y0 + 3 * yStride, a3);
    add(yT, y0 + 4 * yStride, a4);
    add(yT, y0 + 5 * yStride, a5);
  }

  private static void add(float[] yT, int at, FloatVector a, FloatVector b) {
    FloatVector.fromArray(FLOATS, yT, at).add(a).intoArray(yT, at);
    FloatVector.fromArray(FLOATS, yT, at + LENGTH).add(b).intoArray(yT, at + LENGTH);
  }

  private static void add(float[] yT, int at, FloatVector a) {
    FloatVector.fromArray(FLOATS, yT, at).add(a).intoArray(yT, at);
  }
}
