package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Bulk conversions for {@link Fp16}, bit for bit equal to its scalar methods applied element by element.
 *
 * <p>The Vector API has no float16 conversion, so the vector path is IEEE round to nearest, ties to even written
 * as integer and float32 arithmetic. It covers every number, infinity and zero. NaN is the one case where the
 * JDK's own conversions differ between platforms (the x86 and AArch64 instructions quiet a NaN and keep the top
 * of its payload, the JDK's Java fallback keeps more of it), so a vector holding a NaN is converted by the scalar
 * definition, which keeps the bulk result equal to {@link Fp16} wherever it runs.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Fp16Bulk {
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;
  /** 2^16: 65504 plus half an ulp and more rounds to infinity; below it the normal path's carry does. */
  private static final int OVERFLOW_BITS = Float.floatToRawIntBits(0x1p16f);
  /** 2^-14, float16's smallest normal. */
  private static final float MIN_NORMAL = 0x1p-14f;
  private static final int MIN_NORMAL_BITS = Float.floatToRawIntBits(MIN_NORMAL);
  /** 0.5: its ulp is 2^-24, float16's subnormal step, so adding it rounds a smaller magnitude to that step. */
  private static final float SUBNORMAL_MAGIC = 0.5f;
  private static final int SUBNORMAL_MAGIC_BITS = Float.floatToRawIntBits(SUBNORMAL_MAGIC);
  /** float16's exponent bias minus float32's, in the position of float32's exponent field. */
  private static final int REBIAS = (15 - 127) << 23;
  private static final int HALF_INFINITY = 0x7C00;
  /** float32's exponent bias minus float16's, in the position of float32's exponent field. */
  private static final int DECODE_REBIAS_BITS = (127 - 15) << 23;
  private static final int MIN_NORMAL_CODE = 0x0400;

  private Fp16Bulk() {}

  /** {@code dst[dstOffset + i] = Fp16.encode(src[srcOffset + i])}. */
  public static void encode(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        IntVector bits = Lanes.floatBits(src, srcOffset + i);
        IntVector abs = bits.and(ABS_MASK);
        if (abs.compare(VectorOperators.GT, INFINITY_BITS).anyTrue()) {
          encodeScalar(src, srcOffset + i, dst, dstOffset + i, LENGTH);
        } else {
          Lanes.storeShorts(codes(bits, abs), dst, dstOffset + i);
        }
      }
    }
    encodeScalar(src, srcOffset + i, dst, dstOffset + i, length - i);
  }

  /** {@code dst[dstOffset + i] = Fp16.decode(src[srcOffset + i])}. */
  public static void decode(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Lanes.checkRanges(src.length, srcOffset, dst.length, dstOffset, length);
    int i = 0;
    if (Lanes.ENABLED) {
      for (; i <= length - LENGTH; i += LENGTH) {
        IntVector codes = Lanes.shorts(src, srcOffset + i);
        IntVector abs = codes.and(0x7FFF);
        if (abs.compare(VectorOperators.GT, HALF_INFINITY).anyTrue()) {
          decodeScalar(src, srcOffset + i, dst, dstOffset + i, LENGTH);
        } else {
          values(codes, abs).intoArray(dst, dstOffset + i);
        }
      }
    }
    decodeScalar(src, srcOffset + i, dst, dstOffset + i, length - i);
  }

  private static void encodeScalar(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp16.encode(src[srcOffset + i]);
    }
  }

  private static void decodeScalar(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp16.decode(src[srcOffset + i]);
    }
  }

  /**
   * {@link Fp16#encode} on lanes that hold no NaN, given the float bits and their magnitude bits: the code in the
   * low half of each int lane.
   */
  static IntVector codes(IntVector bits, IntVector abs) {
    IntVector sign = bits.lanewise(VectorOperators.LSHR, 16).and(0x8000);
    // Normal: rebias, then round the mantissa to 10 bits, ties to even; a carry moves into the exponent, up to
    // infinity for 65520 and above.
    IntVector normal =
        abs.add(REBIAS + 0xFFF)
            .add(abs.lanewise(VectorOperators.LSHR, 13).and(1))
            .lanewise(VectorOperators.LSHR, 13);
    // Subnormal: rint(|x|·2^24) by a float32 addition, which rounds ties to even; 2^-14 itself comes out as the
    // smallest normal's code.
    IntVector subnormal =
        abs.reinterpretAsFloats().add(SUBNORMAL_MAGIC).reinterpretAsInts().sub(SUBNORMAL_MAGIC_BITS);
    IntVector magnitude =
        normal
            .blend(subnormal, abs.compare(VectorOperators.LT, MIN_NORMAL_BITS))
            .blend(HALF_INFINITY, abs.compare(VectorOperators.GE, OVERFLOW_BITS));
    return magnitude.or(sign);
  }

  /** {@link Fp16#decode} on lanes that hold no NaN code, given the sign-extended codes and their low 15 bits. */
  static FloatVector values(IntVector codes, IntVector abs) {
    // Exponent and mantissa moved into float32's and rebiased. A subnormal code m is read as 2^-14·(1 + m/1024)
    // and then less 2^-14, exactly: multiplying float32 subnormals instead would cost a microcode assist.
    VectorMask<Integer> subnormal = abs.compare(VectorOperators.LT, MIN_NORMAL_CODE);
    IntVector magnitude =
        abs.lanewise(VectorOperators.LSHL, 13)
            .add(DECODE_REBIAS_BITS)
            .lanewise(VectorOperators.ADD, 1 << 23, subnormal)
            .reinterpretAsFloats()
            .lanewise(VectorOperators.SUB, MIN_NORMAL, subnormal.cast(Lanes.FLOATS))
            .reinterpretAsInts()
            .blend(INFINITY_BITS, abs.compare(VectorOperators.EQ, HALF_INFINITY));
    return magnitude.or(codes.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
  }
}
