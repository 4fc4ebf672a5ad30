package io.jquant.runtime.numerics;

/**
 * FP16 ({@code float16}): IEEE binary16, {@code s e5 m10}, bias 15, largest finite 65504 (docs/FORMATS.md
 * §1.6). The conversions are the JDK's, which are IEEE 754's round to nearest, ties to even: 65519 gives
 * 65504 and 65520 gives +Inf, as in torch.
 *
 * <p>These scalar methods are the definition; the bulk methods of {@link Fp16Bulk} agree with them bit for
 * bit.
 */
public final class Fp16 {
  /** The largest finite magnitude. */
  public static final float MAX = 65504.0f;

  private Fp16() {}

  /** Rounds to nearest, ties to even; NaN keeps its sign and the top of its payload, and stays NaN. */
  public static short encode(float x) {
    return Float.floatToFloat16(x);
  }

  /** The exact float32 value. */
  public static float decode(short bits) {
    return Float.float16ToFloat(bits);
  }
}
