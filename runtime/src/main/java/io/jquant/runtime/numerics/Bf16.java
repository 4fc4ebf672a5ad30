package io.jquant.runtime.numerics;

/**
 * BF16 ({@code bfloat16}): the top sixteen bits of a float32, {@code s e8 m7} (docs/FORMATS.md §1.6).
 *
 * <p>These scalar methods are the definition; the bulk methods of {@link Bf16Bulk} agree with them bit for
 * bit.
 */
public final class Bf16 {
  private Bf16() {}

  /**
   * Rounds to nearest, ties to even (torch's cast: 1+2^-8 gives 1.0, 1+3·2^-8 gives 1.015625); overflow
   * becomes ±Inf. NaN stays NaN with its sign and the top of its payload, and is made quiet so the truncation
   * cannot turn it into an infinity.
   */
  public static short encode(float x) {
    int bits = Float.floatToRawIntBits(x);
    if (Float.isNaN(x)) {
      return (short) ((bits >>> 16) | 0x0040);
    }
    return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
  }

  /** The float32 whose top half is {@code bits}: exact. */
  public static float decode(short bits) {
    return Float.intBitsToFloat(bits << 16);
  }
}
