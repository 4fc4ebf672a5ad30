package io.jquant.runtime.numerics;

/**
 * FP8 E4M3FN ({@code float8_e4m3fn}, OCP "E4M3"): the element of the FP8 formats and MXFP8 and the NVFP4
 * block scale. Layout {@code s eeee mmm}, bias 7, no infinities; NaN only at 0x7F and 0xFF; largest finite
 * 448 (docs/FORMATS.md §1.2).
 *
 * <p>These scalar methods are the definition; the bulk methods of {@link Fp8E4M3Bulk} agree with them bit for
 * bit.
 */
public final class Fp8E4M3 {
  /** The largest finite magnitude, code 0x7E. */
  public static final float MAX = 448.0f;

  /** The largest power-of-two exponent of an element, log2 of 256: the {@code emax_elem} of the MX rules. */
  public static final int EMAX = 8;

  /** The smallest normal magnitude, 2^-6 (code 0x08). */
  public static final float MIN_NORMAL = 0x1p-6f;

  private Fp8E4M3() {}

  /**
   * Encodes with round to nearest, ties to even. Finite values beyond ±448 and ±Inf saturate to ±448 (the
   * satfinite clamp every producer of real checkpoints applies, and torch 2.13's cast); NaN stays NaN with
   * its sign, 0x7F or 0xFF.
   */
  public static byte encode(float x) {
    int bits = Float.floatToRawIntBits(x);
    int sign = (bits >>> 24) & 0x80;
    if (Float.isNaN(x)) {
      return (byte) (sign | 0x7F);
    }
    float magnitude = Math.abs(x);
    if (magnitude >= MAX) {
      return (byte) (sign | 0x7E);
    }
    if (magnitude < MIN_NORMAL) {
      // Subnormal: m·2^-9. The scaling by 2^9 is exact, so rint rounds the true value; m = 8 is code 0x08.
      return (byte) (sign | (int) Math.rint(magnitude * 0x1p9f));
    }
    // Normal: round the 23-bit mantissa to 3 bits, ties to even; a carry moves into the exponent, which is
    // right. Below 448 the largest result is 448 itself, so no carry reaches the NaN code.
    int abs = bits & 0x7FFFFFFF;
    int rounded = (abs + 0x7FFFF + ((abs >>> 20) & 1)) & 0xFFF00000;
    int exponent = (rounded >>> 23) - 127 + 7;
    int mantissa = (rounded >>> 20) & 0x7;
    return (byte) (sign | exponent << 3 | mantissa);
  }

  /** The value of a code: ±m·2^-9 for exponent 0, ±(1+m/8)·2^(e-7) otherwise, NaN for 0x7F and 0xFF. */
  public static float decode(byte code) {
    int exponent = (code >>> 3) & 0xF;
    int mantissa = code & 0x7;
    float magnitude;
    if (exponent == 0xF && mantissa == 0x7) {
      magnitude = Float.NaN;
    } else if (exponent == 0) {
      magnitude = mantissa * 0x1p-9f;
    } else {
      magnitude = Float.intBitsToFloat((exponent - 7 + 127) << 23 | mantissa << 20);
    }
    return code < 0 ? -magnitude : magnitude;
  }

  /** Whether a code is NaN (0x7F or 0xFF). */
  public static boolean isNaN(byte code) {
    return (code & 0x7F) == 0x7F;
  }
}
