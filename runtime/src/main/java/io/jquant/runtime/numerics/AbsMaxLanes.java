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
}
