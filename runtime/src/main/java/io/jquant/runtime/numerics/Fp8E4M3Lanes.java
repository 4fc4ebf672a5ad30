package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The lane loops of {@link Fp8E4M3Bulk}. Each converts the whole vectors at the start of a checked run and
 * returns how many elements that was, a multiple of {@link Lanes#LENGTH}; the caller does the tail. Call only
 * when {@link Lanes#enabled()}.
 */
final class Fp8E4M3Lanes {
  private static final int SIGN_MASK = 0x80000000;
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;
  private static final int MAX_BITS = Float.floatToRawIntBits(Fp8E4M3.MAX);
  private static final int MIN_NORMAL_BITS = Float.floatToRawIntBits(Fp8E4M3.MIN_NORMAL);
  /**
   * 2^14: its ulp is 2^-9, E4M3's subnormal step, so adding it rounds a magnitude below 2^-6 to that step.
   */
  private static final float SUBNORMAL_MAGIC = 0x1p14f;
  private static final int SUBNORMAL_MAGIC_BITS = Float.floatToRawIntBits(SUBNORMAL_MAGIC);
  /** float32's exponent bias minus E4M3's, in the position of E4M3's exponent field. */
  private static final int REBIAS = (127 - 7) << 3;
  /** float32's exponent bias minus E4M3's, in the position of float32's exponent field. */
  private static final int REBIAS_BITS = (127 - 7) << 23;
  private static final int QUIET_NAN_BITS = 0x7FC00000;

  private Fp8E4M3Lanes() {}

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

  /**
   * {@link Fp8E4M3Bulk#encodeBlocksDivided} ({@code divide}) or {@code encodeBlocksMultiplied} of a checked
   * run: per block, the whole vectors here and the tail by the scalar codec.
   */
  static void encodeBlocks(float[] src, int srcOffset, int length, int blockSize, float[] factors,
      int factorsOffset, boolean divide, byte[] dst, int dstOffset) {
    int blocks = Math.ceilDiv(length, blockSize);
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      int end = Math.min(length, start + blockSize);
      float factor = factors[factorsOffset + b];
      int i = start;
      for (; i <= end - LENGTH; i += LENGTH) {
        FloatVector x = FloatVector.fromArray(Lanes.FLOATS, src, srcOffset + i);
        x = divide ? x.div(factor) : x.mul(factor);
        Lanes.storeBytes(codes(x.reinterpretAsInts()), dst, dstOffset + i);
      }
      for (; i < end; i++) {
        float x = src[srcOffset + i];
        dst[dstOffset + i] = Fp8E4M3.encode(divide ? x / factor : x * factor);
      }
    }
  }

  /** {@link Fp8E4M3Bulk#decodeBlocksScaled} of a checked run, per block the whole vectors, then the tail. */
  static void decodeBlocksScaled(byte[] src, int srcOffset, int length, int blockSize, float[] scales,
      int scalesOffset, float[] dst, int dstOffset) {
    int blocks = Math.ceilDiv(length, blockSize);
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      int end = Math.min(length, start + blockSize);
      float scale = scales[scalesOffset + b];
      int i = start;
      for (; i <= end - LENGTH; i += LENGTH) {
        values(Lanes.signedBytes(src, srcOffset + i)).mul(scale).intoArray(dst, dstOffset + i);
      }
      for (; i < end; i++) {
        dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]) * scale;
      }
    }
  }

  /** {@link Fp8E4M3#encode} on each lane of float bits: the code in the low byte of each int lane. */
  private static IntVector codes(IntVector bits) {
    IntVector abs = bits.and(ABS_MASK);
    IntVector sign = bits.lanewise(VectorOperators.LSHR, 24).and(0x80);
    // Normal: round the mantissa to 3 bits, ties to even, as the scalar code does; the carry moves into the
    // exponent. The code is then the top bits less the difference of the biases.
    IntVector normal = abs.add(0x7FFFF)
        .add(abs.lanewise(VectorOperators.LSHR, 20).and(1))
        .lanewise(VectorOperators.LSHR, 20)
        .sub(REBIAS);
    // Subnormal: rint(|x|·2^9) by a float32 addition, which rounds ties to even like Math.rint.
    IntVector subnormal = abs.reinterpretAsFloats().add(SUBNORMAL_MAGIC).reinterpretAsInts()
        .sub(SUBNORMAL_MAGIC_BITS);
    IntVector magnitude = normal
        .blend(subnormal, abs.compare(VectorOperators.LT, MIN_NORMAL_BITS))
        .blend(0x7E, abs.compare(VectorOperators.GE, MAX_BITS))
        .blend(0x7F, abs.compare(VectorOperators.GT, INFINITY_BITS));
    return magnitude.or(sign);
  }

  /** {@link Fp8E4M3#decode} on each lane of sign-extended codes. */
  private static FloatVector values(IntVector codes) {
    // Exponent and mantissa moved into float32's and rebiased. A subnormal code m is read as
    // 2^-6·(1 + m/8) and then less 2^-6, exactly: multiplying float32 subnormals instead would cost a
    // microcode assist per vector.
    IntVector magnitude = codes.and(0x7F);
    VectorMask<Integer> subnormal = magnitude.compare(VectorOperators.LT, 0x08);
    FloatVector value = magnitude
        .lanewise(VectorOperators.LSHL, 20)
        .add(REBIAS_BITS)
        .lanewise(VectorOperators.ADD, 1 << 23, subnormal)
        .reinterpretAsFloats()
        .lanewise(VectorOperators.SUB, Fp8E4M3.MIN_NORMAL, subnormal.cast(Lanes.FLOATS));
    IntVector sign = codes.and(SIGN_MASK);
    return value
        .reinterpretAsInts()
        .or(sign)
        .blend(sign.or(QUIET_NAN_BITS), magnitude.compare(VectorOperators.EQ, 0x7F))
        .reinterpretAsFloats();
  }
}
