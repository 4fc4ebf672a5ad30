package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane loops of {@link E8M0Bulk}. Each converts the whole vectors at the start of a checked run and
 * returns how many elements that was, a multiple of {@link Lanes#LENGTH}; the caller does the tail. Call only
 * when {@link Lanes#enabled()}.
 */
final class E8M0Lanes {
  private static final int NEGATIVE_ZERO_BITS = 0x80000000;
  private static final int GUARD_BIT = 0x400000;
  private static final int ROUND_OR_STICKY_BITS = 0x3FFFFF;
  /** 2^-127, the value of byte 0: a float32 subnormal. */
  private static final int BYTE_ZERO_BITS = Float.floatToRawIntBits(0x1p-127f);
  private static final int QUIET_NAN_BITS = Float.floatToRawIntBits(Float.NaN);

  private E8M0Lanes() {}

  static int encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      Lanes.storeBytes(codes(Lanes.floatBits(src, srcOffset + i)), dst, dstOffset + i);
    }
    return i;
  }

  static int decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      Lanes.storeFloatBits(valueBits(Lanes.unsignedBytes(src, srcOffset + i)), dst, dstOffset + i);
    }
    return i;
  }

  /** {@link E8M0#encode} on each lane of float bits. */
  private static IntVector codes(IntVector bits) {
    IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).and(0xFF);
    // Round to nearest on the significand with the implicit bit as its last place, as the scalar code does.
    VectorMask<Integer> guard = bits.and(GUARD_BIT).compare(VectorOperators.NE, 0);
    VectorMask<Integer> roundOrSticky = bits.and(ROUND_OR_STICKY_BITS).compare(VectorOperators.NE, 0);
    VectorMask<Integer> implicitBit = exponent.compare(VectorOperators.NE, 0);
    IntVector rounded = exponent.lanewise(VectorOperators.ADD, 1, guard.and(roundOrSticky.or(implicitBit)));
    // A negative non-zero value (a set sign bit on anything but -0) has no code; neither have Inf and NaN.
    VectorMask<Integer> negative = bits.compare(VectorOperators.LT, 0)
        .and(bits.compare(VectorOperators.NE, NEGATIVE_ZERO_BITS));
    return rounded.blend(E8M0.NAN, negative.or(exponent.compare(VectorOperators.EQ, 0xFF)));
  }

  /** {@link E8M0#decode} on each lane of bytes 0..255, as float bits. */
  private static IntVector valueBits(IntVector biased) {
    return biased
        .lanewise(VectorOperators.LSHL, 23)
        .blend(BYTE_ZERO_BITS, biased.compare(VectorOperators.EQ, 0))
        .blend(QUIET_NAN_BITS, biased.compare(VectorOperators.EQ, E8M0.NAN));
  }
}
