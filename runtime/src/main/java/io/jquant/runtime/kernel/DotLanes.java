package io.jquant.runtime.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector tiles of {@link RowDots}: K in the lanes, so nothing is broadcast. A tile multiplies 4 decoded
 * weight rows with up to 4 activation rows, 16 k at a time: 8 loads per 16 FMAs, 16 accumulators (one per
 * output and lane) that start from and return to a buffer, so a dot product runs across all of K as one FMA
 * chain per lane. {@link #sum16} then adds each vector's lanes in a fixed tree. Call only when
 * {@link GemmLanes#WIDE_TILES}.
 */
final class DotLanes {
  private static final VectorSpecies<Float> FLOATS = GemmLanes.FLOATS;
  static final int LENGTH = GemmLanes.LENGTH;
  // Merge indexes into (a, b) (b as lanes 16-31) for the tree's steps h = 8, 4, 2, 1: lanes without bit h
  // take a's lanes l (KEEP) and l ^ h (CROSS), lanes with it b's. (A blend with a mask ran 4x slower.)
  private static final FloatVector KEEP8 = keep(8);
  private static final FloatVector KEEP4 = keep(4);
  private static final FloatVector KEEP2 = keep(2);
  private static final FloatVector KEEP1 = keep(1);
  private static final FloatVector CROSS8 = cross(8);
  private static final FloatVector CROSS4 = cross(4);
  private static final FloatVector CROSS2 = cross(2);
  private static final FloatVector CROSS1 = cross(1);

  private DotLanes() {}

  /** Whether the tiles run: 16 float lanes (AVX-512), the width {@link #sum16}'s tree is written for. */
  static boolean enabled() {
    return LENGTH == 16;
  }

  /**
   * The lanes of each of the 16 vectors at {@code acc[at + v · LENGTH]}, {@code v < 16}, summed as a fixed
   * tree (lanes {@code l} and {@code l ^ 8} added, then ^ 4, ^ 2, ^ 1; the same bits in every compilation
   * state, unlike {@code reduceLanes}) and written to {@code sums[to + v]}. All 16 at once, as a transposed
   * reduction: each step merges two vectors into one holding both halves' pairwise sums (2 two-vector
   * permutes and an add), 15 merges against 16 trees of 4 shuffles, 4 adds and a lane extract each.
   */
  static void sum16(float[] acc, int at, float[] sums, int to) {
    // The merges leave the sum of their input i in lane reverse(i) (4 bits), so input i is output reverse(i).
    FloatVector m0 = merge(FloatVector.fromArray(FLOATS, acc, at + 0 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 8 * LENGTH), KEEP8, CROSS8);
    FloatVector m1 = merge(FloatVector.fromArray(FLOATS, acc, at + 4 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 12 * LENGTH), KEEP8, CROSS8);
    FloatVector m2 = merge(FloatVector.fromArray(FLOATS, acc, at + 2 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 10 * LENGTH), KEEP8, CROSS8);
    FloatVector m3 = merge(FloatVector.fromArray(FLOATS, acc, at + 6 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 14 * LENGTH), KEEP8, CROSS8);
    FloatVector m4 = merge(FloatVector.fromArray(FLOATS, acc, at + 1 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 9 * LENGTH), KEEP8, CROSS8);
    FloatVector m5 = merge(FloatVector.fromArray(FLOATS, acc, at + 5 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 13 * LENGTH), KEEP8, CROSS8);
    FloatVector m6 = merge(FloatVector.fromArray(FLOATS, acc, at + 3 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 11 * LENGTH), KEEP8, CROSS8);
    FloatVector m7 = merge(FloatVector.fromArray(FLOATS, acc, at + 7 * LENGTH),
        FloatVector.fromArray(FLOATS, acc, at + 15 * LENGTH), KEEP8, CROSS8);
    FloatVector q0 = merge(m0, m1, KEEP4, CROSS4);
    FloatVector q1 = merge(m2, m3, KEEP4, CROSS4);
    FloatVector q2 = merge(m4, m5, KEEP4, CROSS4);
    FloatVector q3 = merge(m6, m7, KEEP4, CROSS4);
    FloatVector p0 = merge(q0, q1, KEEP2, CROSS2);
    FloatVector p1 = merge(q2, q3, KEEP2, CROSS2);
    merge(p0, p1, KEEP1, CROSS1).intoArray(sums, to);
  }

  /**
   * Lanes {@code l} without {@code high} of the result: {@code a[l] + a[l ^ h]}; lanes with it:
   * {@code b[l] + b[l ^ h]} ({@code h} the mask's bit, {@code swap} lane {@code l} to {@code l ^ h}).
   */
  private static FloatVector merge(FloatVector a, FloatVector b, FloatVector keep, FloatVector cross) {
    return keep.selectFrom(a, b).add(cross.selectFrom(a, b));
  }

  private static FloatVector keep(int h) {
    float[] index = new float[LENGTH];
    for (int l = 0; l < LENGTH; l++) {
      index[l] = (l & h) == 0 ? l : LENGTH + l;
    }
    return FloatVector.fromArray(FLOATS, index, 0);
  }

  private static FloatVector cross(int h) {
    float[] index = new float[LENGTH];
    for (int l = 0; l < LENGTH; l++) {
      index[l] = (l & h) == 0 ? l ^ h : LENGTH + (l ^ h);
    }
    return FloatVector.fromArray(FLOATS, index, 0);
  }

  /**
   * {@link #tile4x4}'s products for a whole dot product (K within one call, the chains starting from zero),
   * its lanes summed as {@link #sum16} does, in registers: {@code out[o0 + 4 · r + j]} for weight row
   * {@code j} and activation row {@code r}, so each activation row's 4 sums are contiguous.
   */
  static void sums4x4(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] out, int o0) {
    FloatVector a00 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a01 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a02 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a03 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a10 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a11 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a12 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a13 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a20 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a21 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a22 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a23 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a30 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a31 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a32 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a33 = FloatVector.broadcast(FLOATS, 0f);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(FLOATS, x, x0 + xStride + i);
      FloatVector v2 = FloatVector.fromArray(FLOATS, x, x0 + 2 * xStride + i);
      FloatVector v3 = FloatVector.fromArray(FLOATS, x, x0 + 3 * xStride + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      a01 = w.fma(v1, a01);
      a02 = w.fma(v2, a02);
      a03 = w.fma(v3, a03);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      a11 = w.fma(v1, a11);
      a12 = w.fma(v2, a12);
      a13 = w.fma(v3, a13);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      a21 = w.fma(v1, a21);
      a22 = w.fma(v2, a22);
      a23 = w.fma(v3, a23);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
      a31 = w.fma(v1, a31);
      a32 = w.fma(v2, a32);
      a33 = w.fma(v3, a33);
    }
    // sum16's merges spelled out (input i is output reverse(i)): a merge call past C2's inlining budget
    // would box its vectors. Merges of two zero vectors are left out.
    FloatVector m0 = KEEP8.selectFrom(a00, a02).add(CROSS8.selectFrom(a00, a02));
    FloatVector m1 = KEEP8.selectFrom(a01, a03).add(CROSS8.selectFrom(a01, a03));
    FloatVector m2 = KEEP8.selectFrom(a20, a22).add(CROSS8.selectFrom(a20, a22));
    FloatVector m3 = KEEP8.selectFrom(a21, a23).add(CROSS8.selectFrom(a21, a23));
    FloatVector m4 = KEEP8.selectFrom(a10, a12).add(CROSS8.selectFrom(a10, a12));
    FloatVector m5 = KEEP8.selectFrom(a11, a13).add(CROSS8.selectFrom(a11, a13));
    FloatVector m6 = KEEP8.selectFrom(a30, a32).add(CROSS8.selectFrom(a30, a32));
    FloatVector m7 = KEEP8.selectFrom(a31, a33).add(CROSS8.selectFrom(a31, a33));
    FloatVector m8 = KEEP4.selectFrom(m0, m1).add(CROSS4.selectFrom(m0, m1));
    FloatVector m9 = KEEP4.selectFrom(m2, m3).add(CROSS4.selectFrom(m2, m3));
    FloatVector m10 = KEEP4.selectFrom(m4, m5).add(CROSS4.selectFrom(m4, m5));
    FloatVector m11 = KEEP4.selectFrom(m6, m7).add(CROSS4.selectFrom(m6, m7));
    FloatVector m12 = KEEP2.selectFrom(m8, m9).add(CROSS2.selectFrom(m8, m9));
    FloatVector m13 = KEEP2.selectFrom(m10, m11).add(CROSS2.selectFrom(m10, m11));
    KEEP1.selectFrom(m12, m13).add(CROSS1.selectFrom(m12, m13)).intoArray(out, o0);
  }

  /** {@link #sums4x4} for 3 activation rows (lanes {@code 4 · r + j} for {@code r >= 3} zero). */
  static void sums4x3(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] out, int o0) {
    FloatVector a00 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a01 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a02 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a10 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a11 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a12 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a20 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a21 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a22 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a30 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a31 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a32 = FloatVector.broadcast(FLOATS, 0f);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(FLOATS, x, x0 + xStride + i);
      FloatVector v2 = FloatVector.fromArray(FLOATS, x, x0 + 2 * xStride + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      a01 = w.fma(v1, a01);
      a02 = w.fma(v2, a02);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      a11 = w.fma(v1, a11);
      a12 = w.fma(v2, a12);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      a21 = w.fma(v1, a21);
      a22 = w.fma(v2, a22);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
      a31 = w.fma(v1, a31);
      a32 = w.fma(v2, a32);
    }
    // sum16's merges spelled out (input i is output reverse(i)): a merge call past C2's inlining budget
    // would box its vectors. Merges of two zero vectors are left out.
    FloatVector zero = FloatVector.broadcast(FLOATS, 0f);
    FloatVector m0 = KEEP8.selectFrom(a00, a02).add(CROSS8.selectFrom(a00, a02));
    FloatVector m1 = KEEP8.selectFrom(a01, zero).add(CROSS8.selectFrom(a01, zero));
    FloatVector m2 = KEEP8.selectFrom(a20, a22).add(CROSS8.selectFrom(a20, a22));
    FloatVector m3 = KEEP8.selectFrom(a21, zero).add(CROSS8.selectFrom(a21, zero));
    FloatVector m4 = KEEP8.selectFrom(a10, a12).add(CROSS8.selectFrom(a10, a12));
    FloatVector m5 = KEEP8.selectFrom(a11, zero).add(CROSS8.selectFrom(a11, zero));
    FloatVector m6 = KEEP8.selectFrom(a30, a32).add(CROSS8.selectFrom(a30, a32));
    FloatVector m7 = KEEP8.selectFrom(a31, zero).add(CROSS8.selectFrom(a31, zero));
    FloatVector m8 = KEEP4.selectFrom(m0, m1).add(CROSS4.selectFrom(m0, m1));
    FloatVector m9 = KEEP4.selectFrom(m2, m3).add(CROSS4.selectFrom(m2, m3));
    FloatVector m10 = KEEP4.selectFrom(m4, m5).add(CROSS4.selectFrom(m4, m5));
    FloatVector m11 = KEEP4.selectFrom(m6, m7).add(CROSS4.selectFrom(m6, m7));
    FloatVector m12 = KEEP2.selectFrom(m8, m9).add(CROSS2.selectFrom(m8, m9));
    FloatVector m13 = KEEP2.selectFrom(m10, m11).add(CROSS2.selectFrom(m10, m11));
    KEEP1.selectFrom(m12, m13).add(CROSS1.selectFrom(m12, m13)).intoArray(out, o0);
  }

  /** {@link #sums4x4} for 2 activation rows (lanes {@code 4 · r + j} for {@code r >= 2} zero). */
  static void sums4x2(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] out, int o0) {
    FloatVector a00 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a01 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a10 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a11 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a20 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a21 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a30 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a31 = FloatVector.broadcast(FLOATS, 0f);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(FLOATS, x, x0 + xStride + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      a01 = w.fma(v1, a01);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      a11 = w.fma(v1, a11);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      a21 = w.fma(v1, a21);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
      a31 = w.fma(v1, a31);
    }
    // sum16's merges spelled out (input i is output reverse(i)): a merge call past C2's inlining budget
    // would box its vectors. Merges of two zero vectors are left out.
    FloatVector zero = FloatVector.broadcast(FLOATS, 0f);
    FloatVector m0 = KEEP8.selectFrom(a00, zero).add(CROSS8.selectFrom(a00, zero));
    FloatVector m1 = KEEP8.selectFrom(a01, zero).add(CROSS8.selectFrom(a01, zero));
    FloatVector m2 = KEEP8.selectFrom(a20, zero).add(CROSS8.selectFrom(a20, zero));
    FloatVector m3 = KEEP8.selectFrom(a21, zero).add(CROSS8.selectFrom(a21, zero));
    FloatVector m4 = KEEP8.selectFrom(a10, zero).add(CROSS8.selectFrom(a10, zero));
    FloatVector m5 = KEEP8.selectFrom(a11, zero).add(CROSS8.selectFrom(a11, zero));
    FloatVector m6 = KEEP8.selectFrom(a30, zero).add(CROSS8.selectFrom(a30, zero));
    FloatVector m7 = KEEP8.selectFrom(a31, zero).add(CROSS8.selectFrom(a31, zero));
    FloatVector m8 = KEEP4.selectFrom(m0, m1).add(CROSS4.selectFrom(m0, m1));
    FloatVector m9 = KEEP4.selectFrom(m2, m3).add(CROSS4.selectFrom(m2, m3));
    FloatVector m10 = KEEP4.selectFrom(m4, m5).add(CROSS4.selectFrom(m4, m5));
    FloatVector m11 = KEEP4.selectFrom(m6, m7).add(CROSS4.selectFrom(m6, m7));
    FloatVector m12 = KEEP2.selectFrom(m8, m9).add(CROSS2.selectFrom(m8, m9));
    FloatVector m13 = KEEP2.selectFrom(m10, m11).add(CROSS2.selectFrom(m10, m11));
    KEEP1.selectFrom(m12, m13).add(CROSS1.selectFrom(m12, m13)).intoArray(out, o0);
  }

  /** {@link #sums4x4} for 1 activation row (lanes {@code 4 · r + j} for {@code r >= 1} zero). */
  static void sums4x1(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] out, int o0) {
    FloatVector a00 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a10 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a20 = FloatVector.broadcast(FLOATS, 0f);
    FloatVector a30 = FloatVector.broadcast(FLOATS, 0f);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
    }
    // sum16's merges spelled out (input i is output reverse(i)): a merge call past C2's inlining budget
    // would box its vectors. Merges of two zero vectors are left out.
    FloatVector zero = FloatVector.broadcast(FLOATS, 0f);
    FloatVector m0 = KEEP8.selectFrom(a00, zero).add(CROSS8.selectFrom(a00, zero));
    FloatVector m1 = KEEP8.selectFrom(a20, zero).add(CROSS8.selectFrom(a20, zero));
    FloatVector m2 = KEEP8.selectFrom(a10, zero).add(CROSS8.selectFrom(a10, zero));
    FloatVector m3 = KEEP8.selectFrom(a30, zero).add(CROSS8.selectFrom(a30, zero));
    FloatVector m4 = KEEP4.selectFrom(m0, zero).add(CROSS4.selectFrom(m0, zero));
    FloatVector m5 = KEEP4.selectFrom(m1, zero).add(CROSS4.selectFrom(m1, zero));
    FloatVector m6 = KEEP4.selectFrom(m2, zero).add(CROSS4.selectFrom(m2, zero));
    FloatVector m7 = KEEP4.selectFrom(m3, zero).add(CROSS4.selectFrom(m3, zero));
    FloatVector m8 = KEEP2.selectFrom(m4, m5).add(CROSS2.selectFrom(m4, m5));
    FloatVector m9 = KEEP2.selectFrom(m6, m7).add(CROSS2.selectFrom(m6, m7));
    KEEP1.selectFrom(m8, m9).add(CROSS1.selectFrom(m8, m9)).intoArray(out, o0);
  }

  /**
   * 4 weight rows × 4 activation rows: {@code acc[(j · accRows + r) · LENGTH + l] +=
   * Σ panel[p0 + j · pStride + i] · x[x0 + r · xStride + i]} over {@code i < depth} with
   * {@code i % LENGTH == l}, one FMA chain per lane in k order.
   */
  static void tile4x4(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] acc, int a0, int accRows) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, acc, a0);
    FloatVector a01 = FloatVector.fromArray(FLOATS, acc, a0 + LENGTH);
    FloatVector a02 = FloatVector.fromArray(FLOATS, acc, a0 + 2 * LENGTH);
    FloatVector a03 = FloatVector.fromArray(FLOATS, acc, a0 + 3 * LENGTH);
    FloatVector a10 = FloatVector.fromArray(FLOATS, acc, a0 + accRows * LENGTH);
    FloatVector a11 = FloatVector.fromArray(FLOATS, acc, a0 + (accRows + 1) * LENGTH);
    FloatVector a12 = FloatVector.fromArray(FLOATS, acc, a0 + (accRows + 2) * LENGTH);
    FloatVector a13 = FloatVector.fromArray(FLOATS, acc, a0 + (accRows + 3) * LENGTH);
    FloatVector a20 = FloatVector.fromArray(FLOATS, acc, a0 + 2 * accRows * LENGTH);
    FloatVector a21 = FloatVector.fromArray(FLOATS, acc, a0 + (2 * accRows + 1) * LENGTH);
    FloatVector a22 = FloatVector.fromArray(FLOATS, acc, a0 + (2 * accRows + 2) * LENGTH);
    FloatVector a23 = FloatVector.fromArray(FLOATS, acc, a0 + (2 * accRows + 3) * LENGTH);
    FloatVector a30 = FloatVector.fromArray(FLOATS, acc, a0 + 3 * accRows * LENGTH);
    FloatVector a31 = FloatVector.fromArray(FLOATS, acc, a0 + (3 * accRows + 1) * LENGTH);
    FloatVector a32 = FloatVector.fromArray(FLOATS, acc, a0 + (3 * accRows + 2) * LENGTH);
    FloatVector a33 = FloatVector.fromArray(FLOATS, acc, a0 + (3 * accRows + 3) * LENGTH);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(FLOATS, x, x0 + xStride + i);
      FloatVector v2 = FloatVector.fromArray(FLOATS, x, x0 + 2 * xStride + i);
      FloatVector v3 = FloatVector.fromArray(FLOATS, x, x0 + 3 * xStride + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      a01 = w.fma(v1, a01);
      a02 = w.fma(v2, a02);
      a03 = w.fma(v3, a03);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      a11 = w.fma(v1, a11);
      a12 = w.fma(v2, a12);
      a13 = w.fma(v3, a13);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      a21 = w.fma(v1, a21);
      a22 = w.fma(v2, a22);
      a23 = w.fma(v3, a23);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
      a31 = w.fma(v1, a31);
      a32 = w.fma(v2, a32);
      a33 = w.fma(v3, a33);
    }
    a00.intoArray(acc, a0);
    a01.intoArray(acc, a0 + LENGTH);
    a02.intoArray(acc, a0 + 2 * LENGTH);
    a03.intoArray(acc, a0 + 3 * LENGTH);
    a10.intoArray(acc, a0 + accRows * LENGTH);
    a11.intoArray(acc, a0 + (accRows + 1) * LENGTH);
    a12.intoArray(acc, a0 + (accRows + 2) * LENGTH);
    a13.intoArray(acc, a0 + (accRows + 3) * LENGTH);
    a20.intoArray(acc, a0 + 2 * accRows * LENGTH);
    a21.intoArray(acc, a0 + (2 * accRows + 1) * LENGTH);
    a22.intoArray(acc, a0 + (2 * accRows + 2) * LENGTH);
    a23.intoArray(acc, a0 + (2 * accRows + 3) * LENGTH);
    a30.intoArray(acc, a0 + 3 * accRows * LENGTH);
    a31.intoArray(acc, a0 + (3 * accRows + 1) * LENGTH);
    a32.intoArray(acc, a0 + (3 * accRows + 2) * LENGTH);
    a33.intoArray(acc, a0 + (3 * accRows + 3) * LENGTH);
  }

  /** {@link #tile4x4} for 3 activation rows. */
  static void tile4x3(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] acc, int a0, int accRows) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, acc, a0);
    FloatVector a01 = FloatVector.fromArray(FLOATS, acc, a0 + LENGTH);
    FloatVector a02 = FloatVector.fromArray(FLOATS, acc, a0 + 2 * LENGTH);
    FloatVector a10 = FloatVector.fromArray(FLOATS, acc, a0 + accRows * LENGTH);
    FloatVector a11 = FloatVector.fromArray(FLOATS, acc, a0 + (accRows + 1) * LENGTH);
    FloatVector a12 = FloatVector.fromArray(FLOATS, acc, a0 + (accRows + 2) * LENGTH);
    FloatVector a20 = FloatVector.fromArray(FLOATS, acc, a0 + 2 * accRows * LENGTH);
    FloatVector a21 = FloatVector.fromArray(FLOATS, acc, a0 + (2 * accRows + 1) * LENGTH);
    FloatVector a22 = FloatVector.fromArray(FLOATS, acc, a0 + (2 * accRows + 2) * LENGTH);
    FloatVector a30 = FloatVector.fromArray(FLOATS, acc, a0 + 3 * accRows * LENGTH);
    FloatVector a31 = FloatVector.fromArray(FLOATS, acc, a0 + (3 * accRows + 1) * LENGTH);
    FloatVector a32 = FloatVector.fromArray(FLOATS, acc, a0 + (3 * accRows + 2) * LENGTH);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(FLOATS, x, x0 + xStride + i);
      FloatVector v2 = FloatVector.fromArray(FLOATS, x, x0 + 2 * xStride + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      a01 = w.fma(v1, a01);
      a02 = w.fma(v2, a02);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      a11 = w.fma(v1, a11);
      a12 = w.fma(v2, a12);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      a21 = w.fma(v1, a21);
      a22 = w.fma(v2, a22);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
      a31 = w.fma(v1, a31);
      a32 = w.fma(v2, a32);
    }
    a00.intoArray(acc, a0);
    a01.intoArray(acc, a0 + LENGTH);
    a02.intoArray(acc, a0 + 2 * LENGTH);
    a10.intoArray(acc, a0 + accRows * LENGTH);
    a11.intoArray(acc, a0 + (accRows + 1) * LENGTH);
    a12.intoArray(acc, a0 + (accRows + 2) * LENGTH);
    a20.intoArray(acc, a0 + 2 * accRows * LENGTH);
    a21.intoArray(acc, a0 + (2 * accRows + 1) * LENGTH);
    a22.intoArray(acc, a0 + (2 * accRows + 2) * LENGTH);
    a30.intoArray(acc, a0 + 3 * accRows * LENGTH);
    a31.intoArray(acc, a0 + (3 * accRows + 1) * LENGTH);
    a32.intoArray(acc, a0 + (3 * accRows + 2) * LENGTH);
  }

  /** {@link #tile4x4} for 2 activation rows. */
  static void tile4x2(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] acc, int a0, int accRows) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, acc, a0);
    FloatVector a01 = FloatVector.fromArray(FLOATS, acc, a0 + LENGTH);
    FloatVector a10 = FloatVector.fromArray(FLOATS, acc, a0 + accRows * LENGTH);
    FloatVector a11 = FloatVector.fromArray(FLOATS, acc, a0 + (accRows + 1) * LENGTH);
    FloatVector a20 = FloatVector.fromArray(FLOATS, acc, a0 + 2 * accRows * LENGTH);
    FloatVector a21 = FloatVector.fromArray(FLOATS, acc, a0 + (2 * accRows + 1) * LENGTH);
    FloatVector a30 = FloatVector.fromArray(FLOATS, acc, a0 + 3 * accRows * LENGTH);
    FloatVector a31 = FloatVector.fromArray(FLOATS, acc, a0 + (3 * accRows + 1) * LENGTH);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(FLOATS, x, x0 + xStride + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      a01 = w.fma(v1, a01);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      a11 = w.fma(v1, a11);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      a21 = w.fma(v1, a21);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
      a31 = w.fma(v1, a31);
    }
    a00.intoArray(acc, a0);
    a01.intoArray(acc, a0 + LENGTH);
    a10.intoArray(acc, a0 + accRows * LENGTH);
    a11.intoArray(acc, a0 + (accRows + 1) * LENGTH);
    a20.intoArray(acc, a0 + 2 * accRows * LENGTH);
    a21.intoArray(acc, a0 + (2 * accRows + 1) * LENGTH);
    a30.intoArray(acc, a0 + 3 * accRows * LENGTH);
    a31.intoArray(acc, a0 + (3 * accRows + 1) * LENGTH);
  }

  /** {@link #tile4x4} for 1 activation row. */
  static void tile4x1(float[] panel, int p0, int pStride, float[] x, int x0, int xStride, int depth,
      float[] acc, int a0, int accRows) {
    FloatVector a00 = FloatVector.fromArray(FLOATS, acc, a0);
    FloatVector a10 = FloatVector.fromArray(FLOATS, acc, a0 + accRows * LENGTH);
    FloatVector a20 = FloatVector.fromArray(FLOATS, acc, a0 + 2 * accRows * LENGTH);
    FloatVector a30 = FloatVector.fromArray(FLOATS, acc, a0 + 3 * accRows * LENGTH);
    for (int i = 0; i < depth; i += LENGTH) {
      FloatVector v0 = FloatVector.fromArray(FLOATS, x, x0 + i);
      FloatVector w = FloatVector.fromArray(FLOATS, panel, p0 + i);
      a00 = w.fma(v0, a00);
      w = FloatVector.fromArray(FLOATS, panel, p0 + pStride + i);
      a10 = w.fma(v0, a10);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 2 * pStride + i);
      a20 = w.fma(v0, a20);
      w = FloatVector.fromArray(FLOATS, panel, p0 + 3 * pStride + i);
      a30 = w.fma(v0, a30);
    }
    a00.intoArray(acc, a0);
    a10.intoArray(acc, a0 + accRows * LENGTH);
    a20.intoArray(acc, a0 + 2 * accRows * LENGTH);
    a30.intoArray(acc, a0 + 3 * accRows * LENGTH);
  }
}
