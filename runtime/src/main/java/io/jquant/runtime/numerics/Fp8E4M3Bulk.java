package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Bulk conversions between float32 arrays and {@link Fp8E4M3} codes, bit for bit equal to {@link Fp8E4M3#encode}
 * and {@link Fp8E4M3#decode} applied element by element. The Vector API does the whole vectors and the scalar
 * definition the tail.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Fp8E4M3Bulk {
  private static final int SIGN_MASK = 0x80000000;
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;
  private static final int MAX_BITS = Float.floatToRawIntBits(Fp8E4M3.MAX);
  private static final int MIN_NORMAL_BITS = Float.floatToRawIntBits(Fp8E4M3.MIN_NORMAL);
  /** 2^14: its ulp is 2^-9, E4M3's subnormal step, so adding it rounds a magnitude below 2^-6 to that step. */
  private static final float SUBNORMAL_MAGIC = 0x1p14f;
  private static final int SUBNORMAL_MAGIC_BITS = Float.floatToRawIntBits(SUBNORMAL_MAGIC);
  /** float32's exponent bias minus E4M3's, in the position of E4M3's exponent field. */
  private static final int REBIAS = (127 - 7) << 3;
  /** Scales a code placed in float32's top bits to its value: 2^(127 - 7). */
  private static final float DECODE_SCALE = 0x1p120f;
  private static final int QUIET_NAN_BITS = 0x7FC00000;

  private Fp8E4M3Bulk() {}

  /** {@code dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i])} for i in [0, length). */
  public static void encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        Lanes.storeBytes(codes(Lanes.floatBits(src, srcOffset + i)), dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] / divisor)}: a float32 division per element. */
  public static void encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).div(divisor);
        Lanes.storeBytes(codes(x.reinterpretAsInts()), dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] / divisor);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] * multiplier)}: a float32 product per element. */
  public static void encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i).mul(multiplier);
        Lanes.storeBytes(codes(x.reinterpretAsInts()), dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] * multiplier);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i])}. */
  public static void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        values(Lanes.signedBytes(src, srcOffset + i)).intoArray(dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]) * scale}: a float32 product per element. */
  public static void decodeScaled(
      byte[] src, int srcOffset, float scale, float[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        values(Lanes.signedBytes(src, srcOffset + i)).mul(scale).intoArray(dst, dstOffset + i);
      }
    }
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]) * scale;
    }
  }

  /** {@link Fp8E4M3#encode} on each lane of float bits: the code in the low byte of each int lane. */
  static IntVector codes(IntVector bits) {
    IntVector abs = bits.and(ABS_MASK);
    IntVector sign = bits.lanewise(VectorOperators.LSHR, 24).and(0x80);
    // Normal: round the mantissa to 3 bits, ties to even, as the scalar code does; the carry moves into the
    // exponent. The code is then the top bits less the difference of the biases.
    IntVector normal =
        abs.add(0x7FFFF)
            .add(abs.lanewise(VectorOperators.LSHR, 20).and(1))
            .lanewise(VectorOperators.LSHR, 20)
            .sub(REBIAS);
    // Subnormal: rint(|x|·2^9) by a float32 addition, which rounds ties to even like Math.rint.
    IntVector subnormal =
        abs.reinterpretAsFloats().add(SUBNORMAL_MAGIC).reinterpretAsInts().sub(SUBNORMAL_MAGIC_BITS);
    IntVector magnitude =
        normal
            .blend(subnormal, abs.compare(VectorOperators.LT, MIN_NORMAL_BITS))
            .blend(0x7E, abs.compare(VectorOperators.GE, MAX_BITS))
            .blend(0x7F, abs.compare(VectorOperators.GT, INFINITY_BITS));
    return magnitude.or(sign);
  }

  /** {@link Fp8E4M3#decode} on each lane of sign-extended codes. */
  static FloatVector values(IntVector codes) {
    // The code's exponent and mantissa placed at the top of float32's, times 2^120, is the value for normals
    // and subnormals alike; the sign-extended byte already has its sign bit at bit 31.
    FloatVector finite =
        codes.lanewise(VectorOperators.LSHL, 20).and(0x87F00000).reinterpretAsFloats().mul(DECODE_SCALE);
    IntVector nan = codes.and(SIGN_MASK).or(QUIET_NAN_BITS);
    return finite
        .reinterpretAsInts()
        .blend(nan, codes.and(0x7F).compare(VectorOperators.EQ, 0x7F))
        .reinterpretAsFloats();
  }
}
