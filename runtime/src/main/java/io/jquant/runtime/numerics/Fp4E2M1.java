package io.jquant.runtime.numerics;

/**
 * FP4 E2M1 ({@code float4_e2m1fn}): the element of NVFP4 and MXFP4. Layout {@code s ee m}, exponent bias 1,
 * sixteen finite codes from -6 to 6, no infinity and no NaN (docs/FORMATS.md §1.1). A code is held in the low
 * nibble of an {@code int} or {@code byte}; two codes share a byte in the packed layout of {@link #pack}.
 *
 * <p>These scalar methods are the definition; the bulk methods of {@link Fp4E2M1Bulk} agree with them bit for
 * bit.
 */
public final class Fp4E2M1 {
  /** The largest magnitude, code 0x7. */
  public static final float MAX = 6.0f;

  /**
   * The largest power-of-two exponent of an element, log2 of 4: the {@code emax_elem} of the MX scale rules.
   */
  public static final int EMAX = 2;

  private static final float[] VALUES = {
      0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f,
      -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f,
  };

  private Fp4E2M1() {}

  /**
   * Encodes with round to nearest, ties to even, saturating at ±6 (±Inf included).
   *
   * <p>The sign bit is {@code x < 0}: a negative value that rounds to zero gives 0x8 (-0), as modelopt's
   * NVFP4 cast does, while both +0 and -0 give 0x0. NaN, which E2M1 cannot hold, gives 0x7 (+6) like modelopt
   * and MAX's software cast; the quantizers refuse or flag NaN before it gets here.
   *
   * @return the code, 0..15
   */
  public static int encode(float x) {
    if (Float.isNaN(x)) {
      return 0x7;
    }
    int sign = x < 0 ? 0x8 : 0;
    return sign | magnitudeCode(Math.abs(x));
  }

  /**
   * The code of a non-negative magnitude: the decision points of MAX's {@code cast_fp_to_fp4e2m1}. The ties
   * 0.25, 1.25, 2.5 and 5.0 go down and 0.75, 1.75 and 3.5 go up, each to the even code.
   */
  private static int magnitudeCode(float a) {
    if (a <= 0.25f) {
      return 0;
    } else if (a < 0.75f) {
      return 1;
    } else if (a <= 1.25f) {
      return 2;
    } else if (a < 1.75f) {
      return 3;
    } else if (a <= 2.5f) {
      return 4;
    } else if (a < 3.5f) {
      return 5;
    } else if (a <= 5.0f) {
      return 6;
    }
    return 7;
  }

  /** The value of a code; only the low four bits of {@code code} are read. */
  public static float decode(int code) {
    return VALUES[code & 0xF];
  }

  /** Packs element {@code 2j} into the low nibble and element {@code 2j+1} into the high nibble (§2.4). */
  public static byte pack(int even, int odd) {
    return (byte) ((even & 0xF) | (odd & 0xF) << 4);
  }

  /** The code of the element in the low nibble: the even one. */
  public static int low(byte packed) {
    return packed & 0xF;
  }

  /** The code of the element in the high nibble: the odd one. */
  public static int high(byte packed) {
    return (packed >>> 4) & 0xF;
  }
}
