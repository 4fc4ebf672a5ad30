package io.jquant.runtime.numerics;

/**
 * FP8 E5M2 ({@code float8_e5m2}): IEEE-like, {@code s eeeee mm}, bias 15, with ±Inf at 0x7C / 0xFC and NaN at
 * 0x7D..0x7F / 0xFD..0xFF; largest finite 57344 (docs/FORMATS.md §1.3).
 *
 * <p>These scalar methods are the definition; the bulk methods of {@link Fp8E5M2Bulk} agree with them bit for
 * bit.
 */
public final class Fp8E5M2 {
  /** The largest finite magnitude, code 0x7B. */
  public static final float MAX = 57344.0f;

  /**
   * The largest power-of-two exponent of an element, log2 of 32768: the {@code emax_elem} of the MX rules.
   */
  public static final int EMAX = 15;

  /** The smallest normal magnitude, 2^-14 (code 0x04). */
  public static final float MIN_NORMAL = 0x1p-14f;

  /** The midpoint between 57344 and the next step, 65536: from here on a value rounds to infinity. */
  private static final float OVERFLOW = 61440.0f;

  private Fp8E5M2() {}

  /**
   * Encodes with round to nearest, ties to even, as torch does: finite values from 61440 on become ±Inf
   * (61440 is a tie that goes to the even code, Inf), ±Inf stays ±Inf, and NaN becomes 0x7F or 0xFF (torch's
   * byte, with the sign of the NaN).
   */
  public static byte encode(float x) {
    int bits = Float.floatToRawIntBits(x);
    int sign = (bits >>> 24) & 0x80;
    if (Float.isNaN(x)) {
      return (byte) (sign | 0x7F);
    }
    float magnitude = Math.abs(x);
    if (magnitude >= OVERFLOW) {
      return (byte) (sign | 0x7C);
    }
    if (magnitude < MIN_NORMAL) {
      // Subnormal: m·2^-16, exact scaling, rint rounds ties to even; m = 4 is code 0x04, the smallest normal.
      return (byte) (sign | (int) Math.rint(magnitude * 0x1p16f));
    }
    int abs = bits & 0x7FFFFFFF;
    int rounded = (abs + 0xFFFFF + ((abs >>> 21) & 1)) & 0xFFE00000;
    int exponent = (rounded >>> 23) - 127 + 15;
    int mantissa = (rounded >>> 21) & 0x3;
    return (byte) (sign | exponent << 2 | mantissa);
  }

  /** The value of a code. */
  public static float decode(byte code) {
    int exponent = (code >>> 2) & 0x1F;
    int mantissa = code & 0x3;
    float magnitude;
    if (exponent == 0x1F) {
      magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else if (exponent == 0) {
      magnitude = mantissa * 0x1p-16f;
    } else {
      magnitude = Float.intBitsToFloat((exponent - 15 + 127) << 23 | mantissa << 21);
    }
    return code < 0 ? -magnitude : magnitude;
  }
}
