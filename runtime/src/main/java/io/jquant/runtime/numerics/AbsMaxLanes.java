package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** The lane loop of {@link AbsMax}. Call only when {@link Lanes#enabled()}. */
final class AbsMaxLanes {
  private static final int ABS_MASK = 0x7FFFFFFF;

  private AbsMaxLanes() {}

  /** {@link AbsMax#magnitudeBits} of a checked run: the whole vectors here, the tail by the scalar loop. */
  static int magnitudeBits(float[] src, int offset, int length) {
    IntVector max = IntVector.zero(Lanes.INTS);
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      max = max.max(Lanes.floatBits(src, offset + i).and(ABS_MASK));
    }
    return AbsMax.magnitudeBits(src, offset, i, length, max.reduceLanes(VectorOperators.MAX));
  }

  /**
   * {@link AbsMax#ofBlocks} of a checked run: per block, its whole vectors here and its tail by the scalar
   * loop.
   */
  static void ofBlocks(float[] src, int offset, int length, int blockSize, float[] maxima, int maximaOffset) {
    int blocks = Math.ceilDiv(length, blockSize);
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      int at = offset + start;
      int n = Math.min(blockSize, length - start);
      IntVector max = IntVector.zero(Lanes.INTS);
      int i = 0;
      for (; i <= n - LENGTH; i += LENGTH) {
        max = max.max(Lanes.floatBits(src, at + i).and(ABS_MASK));
      }
      int bits = AbsMax.magnitudeBits(src, at, i, n, max.reduceLanes(VectorOperators.MAX));
      maxima[maximaOffset + b] = AbsMax.finish(bits, src, at, n);
    }
  }
}
