package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane loops of {@link Fp8E5M2Bulk}. Each converts the whole vectors at the start of a checked run and
 * returns how many elements that was, a multiple of {@link Lanes#LENGTH}; the caller does the tail. Call only
 * when {@link Lanes#enabled()}.
 */
final class Fp8E5M2Lanes {
  private static final int SIGN_MASK = 0x80000000;
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;
  /** 61440, the midpoint between 57344 and 65536: from here on a magnitude rounds to infinity. */
  private static final int OVERFLOW_BITS = Float.floatToRawIntBits(61440.0f);
  private static final int MIN_NORMAL_BITS = Float.floatToRawIntBits(Fp8E5M2.MIN_NORMAL);
  /**
   * 2^7: its ulp is 2^-16, E5M2's subnormal step, so adding it rounds a magnitude below 2^-14 to that step.
   */
  private static final float SUBNORMAL_MAGIC = 0x1p7f;
  private static final int SUBNORMAL_MAGIC_BITS = Float.floatToRawIntBits(SUBNORMAL_MAGIC);
  /** float32's exponent bias minus E5M2's, in the position of E5M2's exponent field. */
  private static final int REBIAS = (127 - 15) << 2;
  /** float32's exponent bias minus E5M2's, in the position of float32's exponent field. */
  private static final int REBIAS_BITS = (127 - 15) << 23;
  private static final int INFINITY_CODE = 0x7C;
  private static final int QUIET_NAN_BITS = 0x7FC00000;

  private Fp8E5M2Lanes() {}

  static int encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      Lanes.storeBytes(codes(Lanes.floatBits(src, srcOffset + i)), dst, dstOffset + i);
    }
    return i;
  }

  static int encodeDivided(float[] src, int srcOffset, float divisor, byte[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).div(divisor);
      Lanes.storeBytes(codes(x.reinterpretAsInts()), dst, dstOffset + i);
    }
    return i;
  }

  static int encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).mul(multiplier);
      Lanes.storeBytes(codes(x.reinterpretAsInts()), dst, dstOffset + i);
    }
    return i;
  }

  static int decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      values(Lanes.signedBytes(src, srcOffset + i)).intoArray(dst, dstOffset + i);
    }
    return i;
  }

  static int decodeScaled(byte[] src, int srcOffset, float scale, float[] dst, int dstOffset, int length) {
    int i = 0;
    for (; i <= length - LENGTH; i += LENGTH) {
      values(Lanes.signedBytes(src, srcOffset + i)).mul(scale).intoArray(dst, dstOffset + i);
    }
    return i;
  }

  /** {@link Fp8E5M2#encode} on each lane of float bits: the code in the low byte of each int lane. */
  private static IntVector codes(IntVector bits) {
    IntVector abs = bits.and(ABS_MASK);
    IntVector sign = bits.lanewise(VectorOperators.LSHR, 24).and(0x80);
    // Normal: round the mantissa to 2 bits, ties to even, as the scalar code does; the carry moves into the
    // exponent. The code is then the top bits less the difference of the biases.
    IntVector normal = abs.add(0xFFFFF)
        .add(abs.lanewise(VectorOperators.LSHR, 21).and(1))
        .lanewise(VectorOperators.LSHR, 21)
        .sub(REBIAS);
    // Subnormal: rint(|x|·2^16) by a float32 addition, which rounds ties to even like Math.rint.
    IntVector subnormal = abs.reinterpretAsFloats().add(SUBNORMAL_MAGIC).reinterpretAsInts()
        .sub(SUBNORMAL_MAGIC_BITS);
    IntVector magnitude = normal
        .blend(subnormal, abs.compare(VectorOperators.LT, MIN_NORMAL_BITS))
        .blend(INFINITY_CODE, abs.compare(VectorOperators.GE, OVERFLOW_BITS))
        .blend(0x7F, abs.compare(VectorOperators.GT, INFINITY_BITS));
    return magnitude.or(sign);
  }

  /** {@link Fp8E5M2#decode} on each lane of sign-extended codes. */
  private static FloatVector values(IntVector codes) {
    // Exponent and mantissa moved into float32's and rebiased. A subnormal code m is read as
    // 2^-14·(1 + m/4) and then less 2^-14, exactly: multiplying float32 subnormals instead would cost a
    // microcode assist per vector.
    IntVector magnitude = codes.and(0x7F);
    VectorMask<Integer> subnormal = magnitude.compare(VectorOperators.LT, 0x04);
    FloatVector value = magnitude
        .lanewise(VectorOperators.LSHL, 21)
        .add(REBIAS_BITS)
        .lanewise(VectorOperators.ADD, 1 << 23, subnormal)
        .reinterpretAsFloats()
        .lanewise(VectorOperators.SUB, Fp8E5M2.MIN_NORMAL, subnormal.cast(Lanes.FLOATS));
    IntVector sign = codes.and(SIGN_MASK);
    IntVector special = sign.or(INFINITY_BITS).blend(sign.or(QUIET_NAN_BITS),
        codes.and(0x3).compare(VectorOperators.NE, 0));
    return value
        .reinterpretAsInts()
        .or(sign)
        .blend(special, magnitude.compare(VectorOperators.GE, INFINITY_CODE))
        .reinterpretAsFloats();
  }
}
