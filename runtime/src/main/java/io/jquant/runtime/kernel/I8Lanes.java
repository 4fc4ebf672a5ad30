package io.jquant.runtime.kernel;

import static io.jquant.runtime.kernel.KernelLanes.FLOATS;
import static io.jquant.runtime.kernel.KernelLanes.LENGTH;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane loops of {@link I8Matrix}: {@link KernelLanes#LENGTH} signed bytes widened straight to floats
 * (vpmovsxbd and vcvtdq2ps), multiplied unscaled; the row's scale is applied once, by the caller. Every row
 * is summed the same way alone or paired: two accumulators, vectors alternating, a scalar tail in column
 * order, then {@code sum(acc0 + acc1) + tail}.
 */
final class I8Lanes {
  private I8Lanes() {}

  private static FloatVector values(MemorySegment w, long offset) {
    return (FloatVector) KernelLanes.bytes(w, offset).convertShape(VectorOperators.B2F, FLOATS, 0);
  }

  /** {@code Σ_k w[row + k] · x[xOff + k]} over K columns. */
  static float dot(MemorySegment w, long row, int k, float[] x, int xOff, float[] scratch) {
    FloatVector acc0 = FloatVector.zero(FLOATS);
    FloatVector acc1 = FloatVector.zero(FLOATS);
    int i = 0;
    for (; i <= k - 2 * LENGTH; i += 2 * LENGTH) {
      acc0 = values(w, row + i).fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc0);
      acc1 = values(w, row + i + LENGTH).fma(FloatVector.fromArray(FLOATS, x, xOff + i + LENGTH), acc1);
    }
    if (i <= k - LENGTH) {
      acc0 = values(w, row + i).fma(FloatVector.fromArray(FLOATS, x, xOff + i), acc0);
      i += LENGTH;
    }
    float tail = 0;
    for (; i < k; i++) {
      tail += w.get(ValueLayout.JAVA_BYTE, row + i) * x[xOff + i];
    }
    return KernelLanes.sum(acc0.add(acc1), scratch) + tail;
  }

  /** {@link #dot} of two rows sharing each x load, into {@code out[0]} and {@code out[1]}, bit for bit. */
  static void dot2(MemorySegment w, long rowA, long rowB, int k, float[] x, int xOff, float[] scratch,
      float[] out) {
    FloatVector a0 = FloatVector.zero(FLOATS);
    FloatVector a1 = FloatVector.zero(FLOATS);
    FloatVector b0 = FloatVector.zero(FLOATS);
    FloatVector b1 = FloatVector.zero(FLOATS);
    int i = 0;
    for (; i <= k - 2 * LENGTH; i += 2 * LENGTH) {
      FloatVector x0 = FloatVector.fromArray(FLOATS, x, xOff + i);
      FloatVector x1 = FloatVector.fromArray(FLOATS, x, xOff + i + LENGTH);
      a0 = values(w, rowA + i).fma(x0, a0);
      b0 = values(w, rowB + i).fma(x0, b0);
      a1 = values(w, rowA + i + LENGTH).fma(x1, a1);
      b1 = values(w, rowB + i + LENGTH).fma(x1, b1);
    }
    if (i <= k - LENGTH) {
      FloatVector x0 = FloatVector.fromArray(FLOATS, x, xOff + i);
      a0 = values(w, rowA + i).fma(x0, a0);
      b0 = values(w, rowB + i).fma(x0, b0);
      i += LENGTH;
    }
    float tailA = 0;
    float tailB = 0;
    for (; i < k; i++) {
      tailA += w.get(ValueLayout.JAVA_BYTE, rowA + i) * x[xOff + i];
      tailB += w.get(ValueLayout.JAVA_BYTE, rowB + i) * x[xOff + i];
    }
    out[0] = KernelLanes.sum(a0.add(a1), scratch) + tailA;
    out[1] = KernelLanes.sum(b0.add(b1), scratch) + tailB;
  }

  /**
   * Writes {@code q · scale} for {@code k} in {@code [k0, k0 + depth)} to {@code panel[p..]}, where
   * {@code q = w[row + k] ^ flip} (flip 0x80 undoes {@link I8Matrix}'s integer layout).
   */
  static void decode(MemorySegment w, long row, int k0, int depth, float scale, float[] panel, int p,
      byte flip) {
    int i = 0;
    if (flip == 0) {
      for (; i <= depth - LENGTH; i += LENGTH) {
        values(w, row + k0 + i).mul(scale).intoArray(panel, p + i);
      }
    } else {
      for (; i <= depth - LENGTH; i += LENGTH) {
        FloatVector q = (FloatVector) KernelLanes.bytes(w, row + k0 + i).lanewise(VectorOperators.XOR, flip)
            .convertShape(VectorOperators.B2F, FLOATS, 0);
        q.mul(scale).intoArray(panel, p + i);
      }
    }
    for (; i < depth; i++) {
      panel[p + i] = (byte) (w.get(ValueLayout.JAVA_BYTE, row + k0 + i) ^ flip) * scale;
    }
  }
}
