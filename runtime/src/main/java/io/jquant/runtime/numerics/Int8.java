package io.jquant.runtime.numerics;

/**
 * INT8 as the symmetric integer formats use it: a signed byte holding {@code round(x)} (docs/FORMATS.md
 * §4.5).
 *
 * <p>These scalar methods are the definition; the bulk methods of {@link Int8Bulk} agree with them bit for
 * bit.
 */
public final class Int8 {
  /** The largest magnitude a symmetric scale maps to: scales are absmax/127. */
  public static final float MAX = 127.0f;

  private Int8() {}

  /**
   * Rounds to nearest, ties to even ({@code Math.rint}, as torch.round and PTX {@code cvt.rni.sat.s8} do;
   * never {@code Math.round}, which rounds half up), saturating to [-128, 127], ±Inf included. NaN has no
   * integer and gives 0; the quantizers refuse or flag NaN before it gets here.
   */
  public static byte encode(float x) {
    if (Float.isNaN(x)) {
      return 0;
    }
    float rounded = (float) Math.rint(x);
    return (byte) Math.max(-128.0f, Math.min(127.0f, rounded));
  }

  /** The value of a byte. */
  public static float decode(byte code) {
    return code;
  }
}
