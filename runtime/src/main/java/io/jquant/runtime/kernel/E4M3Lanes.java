package io.jquant.runtime.kernel;

import static io.jquant.runtime.kernel.KernelLanes.FLOATS;
import static io.jquant.runtime.kernel.KernelLanes.LENGTH;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane loops of {@link E4M3Matrix}. An E4M3 byte becomes its "raw" float {@code E4M3 · 2^-120} in two int
 * operations on the sign-extended byte ({@code (b << 20) & 0x87F00000}: sign, then exponent and mantissa in
 * float32's low exponent bits), exact for the 254 non-NaN codes, subnormals included; the group's constant
 * {@code scale · 2^120} then gives {@code E4M3 · scale} in one multiply with one rounding, the very float the
 * reference dequantizer computes. Rows holding NaN codes never come here.
 *
 * <p>A group is {@code groupCols} columns with one constant: {@code c[g]} covers columns
 * {@code [g · groupCols, min(K, (g + 1) · groupCols))}. Every row is summed the same way whether it runs
 * alone or paired: two accumulators, vectors alternating between them per group, a scalar tail in column
 * order, then {@code sum(acc0 + acc1) + tail}.
 */
final class E4M3Lanes {
  private static final int FIELDS = E4M3Matrix.RAW_FIELDS;

  private E4M3Lanes() {}

  private static FloatVector raw(MemorySegment w, long offset) {
    return ((IntVector) KernelLanes.bytes(w, offset).convertShape(VectorOperators.B2I,
        IntVector.SPECIES_PREFERRED,
        0)).lanewise(VectorOperators.LSHL, 20).and(FIELDS).reinterpretAsFloats();
  }

  /** Groups up to this long run the flat loop; longer ones (a row or tensor scale) the plain group loop. */
  private static final int FLAT_MAX = 512;

  /**
   * The shift that turns a column into its group when groups are short ({@link #FLAT_MAX}), a power of two
   * and hold whole pairs of vectors (MX's 32, DeepSeek's 128), else -1. Measured on a 4096² GEMV: block 128
   * 1.9 ms to 1.4, MX 1.7 to 1.45; for one long group the per-pair broadcast costs about 10%, so those keep
   * the group loop.
   */
  static int flatShift(int groupCols) {
    return groupCols <= FLAT_MAX && Integer.bitCount(groupCols) == 1 && groupCols % (2 * LENGTH) == 0
        ? Integer.numberOfTrailingZeros(groupCols)
        : -1;
  }

  /** {@code Σ_k (raw(w[row + k]) · c[g(k)]) · x[xOff + k]} over K columns. */
  static float dot(MemorySegment w, long row, int k, int groupCols, float[] c, float[] x, int xOff,
      float[] scratch) {
    FloatVector acc0 = FloatVector.zero(FLOATS);
    FloatVector acc1 = FloatVector.zero(FLOATS);
    float tail = 0;
    int i = 0;
    int shift = flatShift(groupCols);
    if (shift >= 0) {
      // One flat loop, the group's constant broadcast from memory per pair of vectors (a load, no ALU uop):
      // short groups cost no loop set-up each, and the pairs fall as the group loop below would place them.
      for (; i <= k - 2 * LENGTH; i += 2 * LENGTH) {
        FloatVector cv = FloatVector.broadcast(FLOATS, c[i >>> shift]);
        acc0 = raw(w, row + i).mul(cv).fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc0);
        acc1 = raw(w, row + i + LENGTH).mul(cv).fma(FloatVector.fromArray(FLOATS, x, xOff + i + LENGTH),
            acc1);
      }
    }
    while (i < k) {
      int g = i / groupCols;
      int end = (int) Math.min(k, (long) (g + 1) * groupCols);
      float constant = c[g];
      FloatVector cv = FloatVector.broadcast(FLOATS, constant);
      for (; i <= end - 2 * LENGTH; i += 2 * LENGTH) {
        acc0 = raw(w, row + i).mul(cv).fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc0);
        acc1 = raw(w, row + i + LENGTH).mul(cv).fma(FloatVector.fromArray(FLOATS, x, xOff + i + LENGTH),
            acc1);
      }
      if (i <= end - LENGTH) {
        acc0 = raw(w, row + i).mul(cv).fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc0);
        i += LENGTH;
      }
      for (; i < end; i++) {
        tail += E4M3Matrix.raw(w.get(ValueLayout.JAVA_BYTE, row + i)) * constant * x[xOff + i];
      }
    }
    return KernelLanes.sum(acc0.add(acc1), scratch) + tail;
  }

  /**
   * {@link #dot} of two rows sharing each x load: rows {@code rowA} and {@code rowB} with constants
   * {@code ca} and {@code cb}; the sums go to {@code out[0]} and {@code out[1]}, bit for bit what
   * {@link #dot} gives.
   */
  static void dot2(MemorySegment w, long rowA, long rowB, int k, int groupCols, float[] ca, float[] cb,
      float[] x,
      int xOff, float[] scratch, float[] out) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = FloatVector.zero(FLOATS);
    FloatVector b0 = FloatVector.zero(FLOATS);
    FloatVector b1 = FloatVector.zero(FLOATS);
    float tailA = 0;
    float tailB = 0;
    int i = 0;
    int shift = flatShift(groupCols);
    if (shift >= 0) {
      for (; i <= k - 2 * LENGTH; i += 2 * LENGTH) {
        FloatVector cva = FloatVector.broadcast(FLOATS, ca[i >>> shift]);
        FloatVector cvb = FloatVector.broadcast(FLOATS, cb[i >>> shift]);
        FloatVector x0 = FloatVector.fromArray(FLOATS, x, xOff + i);
        FloatVector x1 = FloatVector.fromArray(FLOATS, x, xOff + i + LENGTH);
        a0 = raw(w, rowA + i).mul(cva).fma(x0, a0);
        b0 = raw(w, rowB + i).mul(cvb).fma(x0, b0);
        a1 = raw(w, rowA + i + LENGTH).mul(cva).fma(x1, a1);
        b1 = raw(w, rowB + i + LENGTH).mul(cvb).fma(x1, b1);
      }
    }
    while (i < k) {
      int g = i / groupCols;
      int end = (int) Math.min(k, (long) (g + 1) * groupCols);
      float constA = ca[g];
      float constB = cb[g];
      FloatVector cva = FloatVector.broadcast(FLOATS, constA);
      FloatVector cvb = FloatVector.broadcast(FLOATS, constB);
      for (; i <= end - 2 * LENGTH; i += 2 * LENGTH) {
        FloatVector x0 = FloatVector.fromArray(FLOATS, x, xOff + i);
        FloatVector x1 = FloatVector.fromArray(FLOATS, x, xOff + i + LENGTH);
        a0 = raw(w, rowA + i).mul(cva).fma(x0, a0);
        b0 = raw(w, rowB + i).mul(cvb).fma(x0, b0);
        a1 = raw(w, rowA + i + LENGTH).mul(cva).fma(x1, a1);
        b1 = raw(w, rowB + i + LENGTH).mul(cvb).fma(x1, b1);
      }
      if (i <= end - LENGTH) {
        FloatVector x0 = FloatVector.fromArray(FLOATS, x, xOff + i);
        a0 = raw(w, rowA + i).mul(cva).fma(x0, a0);
        b0 = raw(w, rowB + i).mul(cvb).fma(x0, b0);
        i += LENGTH;
      }
      for (; i < end; i++) {
        tailA += E4M3Matrix.raw(w.get(ValueLayout.JAVA_BYTE, rowA + i)) * constA * x[xOff + i];
        tailB += E4M3Matrix.raw(w.get(ValueLayout.JAVA_BYTE, rowB + i)) * constB * x[xOff + i];
      }
    }
    out[0] = KernelLanes.sum(a0.add(a1), scratch) + tailA;
    out[1] = KernelLanes.sum(b0.add(b1), scratch) + tailB;
  }

  /**
   * Writes {@code raw(w[row + k]) · c[g(k)]} for {@code k} in {@code [k0, k0 + depth)} to {@code panel[p..]}.
   */
  static void decode(MemorySegment w, long row, int k0, int depth, int groupCols, float[] c, float[] panel,
      int p) {
    int end = k0 + depth;
    int k = k0;
    if (groupCols % LENGTH == 0 && k0 % groupCols == 0 && groupCols <= FLAT_MAX) {
      // Short whole groups (MX's 32) without the general loop's per-group bounds: its bookkeeping cost about
      // as much as the group's 2 vectors.
      int whole = depth - depth % groupCols;
      for (int g = k0 / groupCols; k < k0 + whole; g++) {
        FloatVector cv = FloatVector.broadcast(FLOATS, c[g]);
        for (int v = 0; v < groupCols; v += LENGTH, k += LENGTH) {
          raw(w, row + k).mul(cv).intoArray(panel, p + k - k0);
        }
      }
    }
    while (k < end) {
      int g = k / groupCols;
      int groupEnd = (int) Math.min(end, (long) (g + 1) * groupCols);
      float constant = c[g];
      FloatVector cv = FloatVector.broadcast(FLOATS, constant);
      int at = p + k - k0;
      for (; k <= groupEnd - LENGTH; k += LENGTH, at += LENGTH) {
        raw(w, row + k).mul(cv).intoArray(panel, at);
      }
      for (; k < groupEnd; k++, at++) {
        panel[at] = E4M3Matrix.raw(w.get(ValueLayout.JAVA_BYTE, row + k)) * constant;
      }
    }
  }

  /**
   * MX constants {@code 2^(b-127) · 2^120 = 2^(b-7)} of {@code count} E8M0 bytes, NaN for 255. Exact for b up
   * to 134; larger bytes never reach here (their rows take the exact path).
   */
  static void mxConstants(MemorySegment scales, long offset, int count, float[] c) {
    int i = 0;
    for (; i <= count - LENGTH; i += LENGTH) {
      IntVector b = (IntVector) KernelLanes.bytes(scales, offset + i)
          .convertShape(VectorOperators.ZERO_EXTEND_B2I, IntVector.SPECIES_PREFERRED, 0);
      b.add(120).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()
          .blend(Float.NaN, b.compare(VectorOperators.EQ, 255).cast(FLOATS))
          .intoArray(c, i);
    }
    for (; i < count; i++) {
      c[i] = E4M3Matrix.mxConstant(scales.get(ValueLayout.JAVA_BYTE, offset + i));
    }
  }
}
