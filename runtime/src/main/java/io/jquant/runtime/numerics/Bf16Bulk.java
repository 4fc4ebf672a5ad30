package io.jquant.runtime.numerics;

/**
 * Bulk conversions for {@link Bf16}, bit for bit equal to its scalar methods applied element by element. With
 * the Vector API (see {@link VectorSupport}) lane loops do the whole vectors and the scalar definition the
 * tail; without it the scalar definition does all.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Bf16Bulk {
  /**
   * Whether the lane loops run: decided once, and without loading a vector class when the module is missing.
   */
  private static final boolean VECTOR = VectorSupport.available() && Lanes.enabled();

  private Bf16Bulk() {}

  /** {@code dst[dstOffset + i] = Bf16.encode(src[srcOffset + i])}. */
  public static void encode(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Bf16Lanes.encode(src, srcOffset, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Bf16.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Bf16.decode(src[srcOffset + i])}. */
  public static void decode(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Bf16Lanes.decode(src, srcOffset, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Bf16.decode(src[srcOffset + i]);
    }
  }
}
