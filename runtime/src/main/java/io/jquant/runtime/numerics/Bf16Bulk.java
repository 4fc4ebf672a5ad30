package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Bulk conversions for {@link Bf16}, bit for bit equal to its scalar methods applied element by element. The
 * Vector API does the whole vectors and the scalar definition the tail.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Bf16Bulk {
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;
  private static final int QUIET_BIT = 0x0040;

  private Bf16Bulk() {}

  /** {@code dst[dstOffset + i] = Bf16.encode(src[srcOffset + i])}. */
  public static void encode(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        Lanes.storeShorts(codes(Lanes.floatBits(src, srcOffset + i)), dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = Bf16.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Bf16.decode(src[srcOffset + i])}. */
  public static void decode(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        // The top half of a float32: the shift also drops the sign extension of the load.
        IntVector bits = Lanes.shorts(src, srcOffset + i).lanewise(VectorOperators.LSHL, 16);
        Lanes.storeFloatBits(bits, dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = Bf16.decode(src[srcOffset + i]);
    }
  }

  /** {@link Bf16#encode} on each lane of float bits: the code in the low half of each int lane. */
  static IntVector codes(IntVector bits) {
    IntVector top = bits.lanewise(VectorOperators.LSHR, 16);
    IntVector rounded = bits.add(0x7FFF).add(top.and(1)).lanewise(VectorOperators.LSHR, 16);
    return rounded.blend(top.or(QUIET_BIT), bits.and(ABS_MASK).compare(VectorOperators.GT, INFINITY_BITS));
  }
}
