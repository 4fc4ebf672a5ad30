package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The memory-bound path (few activation rows) for weights held as float32 or BF16: each weight row is read
 * once from memory and multiplied with every activation row while it sits in the L1, with several independent
 * accumulators per dot product.
 */
final class Gemv {
  private static final boolean VECTOR = KernelPlan.current().gemmLanes();
  private static final ValueLayout.OfShort BF16 = ValueLayout.JAVA_SHORT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  private Gemv() {}

  /** Raw sums over a float32 weight {@code [N, in]}, written as {@link PackedLinear#computeColumns} says. */
  static void floats(float[] w, int in, float[] x, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    for (int n = from; n < to; n++) {
      for (int r = 0; r < rows; r++) {
        y[yOffset + r * yStride + n - from] = dot(w, n * in, x, r * in, in);
      }
    }
  }

  /** The same over a BF16 weight {@code [N, in]} (little-endian codes): each row is decoded once. */
  static void bf16(MemorySegment w, int in, float[] x, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    float[] row = new float[in];
    for (int n = from; n < to; n++) {
      decodeBf16(w, (long) n * in, row, 0, in);
      for (int r = 0; r < rows; r++) {
        y[yOffset + r * yStride + n - from] = dot(row, 0, x, r * in, in);
      }
    }
  }

  /** Decodes {@code count} BF16 weights starting at element {@code element} of {@code w}. */
  static void decodeBf16(MemorySegment w, long element, float[] dst, int dstOffset, int count) {
    int done = VECTOR ? GemvLanes.bf16(w, 2 * element, dst, dstOffset, count) : 0;
    for (int i = done; i < count; i++) {
      dst[dstOffset + i] = Float.intBitsToFloat(w.get(BF16, 2 * (element + i)) << 16);
    }
  }

  private static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    if (VECTOR) {
      return GemvLanes.dot(a, aOffset, b, bOffset, length);
    }
    float sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }
}
