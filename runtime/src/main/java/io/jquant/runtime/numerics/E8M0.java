package io.jquant.runtime.numerics;

/**
 * E8M0 ({@code float8_e8m0fnu}): the MX shared scale. Unsigned, eight exponent bits, bias 127: byte {@code b}
 * means 2^(b-127) for b = 0..254 and NaN for 255. No zero, no sign, no infinity (docs/FORMATS.md §1.4). Byte
 * 0 is 2^-127, a float32 subnormal, and decodes to exactly that.
 *
 * <p>{@link #encode} is the plain cast; the MX quantizers choose a scale with a {@link MxScaleMode} instead.
 * These scalar methods are the definition; the bulk methods of {@link E8M0Bulk} agree with them bit for bit.
 */
public final class E8M0 {
  /** The NaN byte. */
  public static final int NAN = 0xFF;

  /** The byte of 2^0. */
  public static final int BIAS = 127;

  private E8M0() {}

  /**
   * Casts to the nearest power of two as torch's {@code to(float8_e8m0fnu)} does: round to nearest on the
   * significand with the implicit bit as its last place, so 1.5·2^e and above go up to 2^(e+1); zero and
   * float32 subnormals up to 2^-127 give byte 0; 1.5·2^127 and above, ±Inf and NaN give 255 (NaN).
   *
   * <p>One choice differs from torch, which ignores the sign: a negative non-zero value has no E8M0 code and
   * gives NaN, as in ml_dtypes, so a wrong sign cannot pass as a valid scale. -0 is zero and gives byte 0.
   *
   * @return the byte, 0..255
   */
  public static int encode(float x) {
    int bits = Float.floatToRawIntBits(x);
    if (bits < 0 && x != 0.0f) {
      return NAN;
    }
    int exponent = (bits >>> 23) & 0xFF;
    if (exponent == 0xFF) {
      return NAN;
    }
    boolean guard = (bits & 0x400000) != 0;
    boolean roundOrSticky = (bits & 0x3FFFFF) != 0;
    boolean lsb = exponent > 0; // the implicit bit: 1 for normals, 0 for subnormals and zero
    if (guard && (roundOrSticky || lsb)) {
      exponent++; // 254 + 1 lands on 255, NaN, as torch's overflow does
    }
    return exponent;
  }

  /** 2^(b-127), or NaN for 255; {@code b} is read as an unsigned byte. */
  public static float decode(int b) {
    int biased = b & 0xFF;
    if (biased == NAN) {
      return Float.NaN;
    }
    if (biased == 0) {
      return 0x1p-127f; // the float32 subnormal 0x00400000
    }
    return Float.intBitsToFloat(biased << 23);
  }

  /**
   * The byte of the exact reciprocal: 2^-(b-127) is byte {@code 254 - b}, with 255 (NaN) kept. Byte 254's
   * reciprocal, 2^-127, is byte 0.
   */
  public static int reciprocal(int b) {
    int biased = b & 0xFF;
    return biased == NAN ? NAN : 254 - biased;
  }
}
