package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane loops of {@link Bf16Bulk}. Each converts the whole vectors at the start of a checked run and
 * returns how many elements that was, a multiple of {@link Lanes#LENGTH}; the caller does the tail. Call only
 * when {@link Lanes#enabled()}.
 */
final class Bf16Lanes {
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;
  private static final int QUIET_BIT = 0x0040;

  private Bf16Lanes() {}

  static int encode(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      Lanes.storeShorts(codes(Lanes.floatBits(src, srcOffset + i)), dst, dstOffset + i);
    }
    return i;
  }

  static int decode(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      // The top half of a float32: the shift also drops the sign extension of the load.
      IntVector bits = Lanes.shorts(src, srcOffset + i).lanewise(VectorOperators.LSHL, 16);
      Lanes.storeFloatBits(bits, dst, dstOffset + i);
    }
    return i;
  }

  /** {@link Bf16#encode} on each lane of float bits: the code in the low half of each int lane. */
  private static IntVector codes(IntVector bits) {
    IntVector top = bits.lanewise(VectorOperators.LSHR, 16);
    IntVector rounded = bits.add(0x7FFF).add(top.and(1)).lanewise(VectorOperators.LSHR, 16);
    return rounded.blend(top.or(QUIET_BIT), bits.and(ABS_MASK).compare(VectorOperators.GT, INFINITY_BITS));
  }
}
