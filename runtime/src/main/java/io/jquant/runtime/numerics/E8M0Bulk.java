package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Bulk conversions for {@link E8M0}, bit for bit equal to its scalar methods applied element by element. The
 * Vector API does the whole vectors and the scalar definition the tail.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class E8M0Bulk {
  private static final int NEGATIVE_ZERO_BITS = 0x80000000;
  private static final int GUARD_BIT = 0x400000;
  private static final int ROUND_OR_STICKY_BITS = 0x3FFFFF;
  /** 2^-127, the value of byte 0: a float32 subnormal. */
  private static final int BYTE_ZERO_BITS = Float.floatToRawIntBits(0x1p-127f);
  private static final int QUIET_NAN_BITS = Float.floatToRawIntBits(Float.NaN);

  private E8M0Bulk() {}

  /** {@code dst[dstOffset + i] = (byte) E8M0.encode(src[srcOffset + i])}. */
  public static void encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        Lanes.storeBytes(codes(Lanes.floatBits(src, srcOffset + i)), dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = (byte) E8M0.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = E8M0.decode(src[srcOffset + i])}. */
  public static void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        Lanes.storeFloatBits(valueBits(Lanes.unsignedBytes(src, srcOffset + i)), dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = E8M0.decode(src[srcOffset + i]);
    }
  }

  /** {@link E8M0#encode} on each lane of float bits. */
  static IntVector codes(IntVector bits) {
    IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).and(0xFF);
    // Round to nearest on the significand with the implicit bit as its last place, as the scalar code does.
    VectorMask<Integer> guard = bits.and(GUARD_BIT).compare(VectorOperators.NE, 0);
    VectorMask<Integer> roundOrSticky = bits.and(ROUND_OR_STICKY_BITS).compare(VectorOperators.NE, 0);
    VectorMask<Integer> implicitBit = exponent.compare(VectorOperators.NE, 0);
    IntVector rounded = exponent.lanewise(VectorOperators.ADD, 1, guard.and(roundOrSticky.or(implicitBit)));
    // A negative non-zero value (a set sign bit on anything but -0) has no code; neither have Inf and NaN.
    VectorMask<Integer> negative =
        bits.compare(VectorOperators.LT, 0).and(bits.compare(VectorOperators.NE, NEGATIVE_ZERO_BITS));
    return rounded.blend(E8M0.NAN, negative.or(exponent.compare(VectorOperators.EQ, 0xFF)));
  }

  /** {@link E8M0#decode} on each lane of bytes 0..255, as float bits. */
  static IntVector valueBits(IntVector biased) {
    return biased
        .lanewise(VectorOperators.LSHL, 23)
        .blend(BYTE_ZERO_BITS, biased.compare(VectorOperators.EQ, 0))
        .blend(QUIET_NAN_BITS, biased.compare(VectorOperators.EQ, E8M0.NAN));
  }
}
