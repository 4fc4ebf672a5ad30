package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane loops of {@link Int8Bulk}. Each converts the whole vectors at the start of a checked run and
 * returns how many elements that was, a multiple of {@link Lanes#LENGTH}; the caller does the tail. Call only
 * when {@link Lanes#enabled()}.
 */
final class Int8Lanes {
  /**
   * 1.5·2^23: for |x| <= 128 the float32 sum x + 1.5·2^23 lies in [2^23, 2^24), whose ulp is 1, so the
   * addition rounds x to an integer with ties to even, as Math.rint does, and the sum's bits less this
   * constant's are that integer.
   */
  private static final float ROUNDING_MAGIC = 0x1.8p23f;
  private static final int ROUNDING_MAGIC_BITS = Float.floatToRawIntBits(ROUNDING_MAGIC);

  private Int8Lanes() {}

  static int encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      Lanes.storeBytes(codes(FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i)), dst, dstOffset + i);
    }
    return i;
  }

  static int encodeDivided(float[] src, int srcOffset, float divisor, byte[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).div(divisor);
      Lanes.storeBytes(codes(x), dst, dstOffset + i);
    }
    return i;
  }

  static int encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).mul(multiplier);
      Lanes.storeBytes(codes(x), dst, dstOffset + i);
    }
    return i;
  }

  static int decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      values(src, srcOffset + i).intoArray(dst, dstOffset + i);
    }
    return i;
  }

  static int decodeScaled(byte[] src, int srcOffset, float scale, float[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      values(src, srcOffset + i).mul(scale).intoArray(dst, dstOffset + i);
    }
    return i;
  }

  /** {@link Int8#encode} on each lane: the code in the low byte of each int lane. */
  private static IntVector codes(FloatVector x) {
    // Clamping before rounding equals rounding before clamping, as -128 and 127 are integers. The compares
    // are false for NaN, which stays NaN until the last blend.
    FloatVector clamped = x.blend(-128.0f, x.compare(VectorOperators.LT, -128.0f))
        .blend(127.0f, x.compare(VectorOperators.GT, 127.0f));
    IntVector rounded = clamped.add(ROUNDING_MAGIC).reinterpretAsInts().sub(ROUNDING_MAGIC_BITS);
    return rounded.blend(0, x.test(VectorOperators.IS_NAN).cast(Lanes.INTS));
  }

  /** {@link Int8#decode} of {@link Lanes#LENGTH} bytes: the byte widened to float32, exact. */
  private static FloatVector values(byte[] src, int offset) {
    return (FloatVector) ByteVector.fromArray(Lanes.BYTES, src, offset).convertShape(VectorOperators.B2F,
        Lanes.FLOATS, 0);
  }
}
