package io.jquant.runtime.numerics;

/** Bulk conversions for {@link Bf16}, bit for bit equal to its scalar methods applied element by element. */
public final class Bf16Bulk {
  private Bf16Bulk() {}

  /** {@code dst[dstOffset + i] = Bf16.encode(src[srcOffset + i])}. */
  public static void encode(float[] src, int srcOffset, short[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Bf16.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Bf16.decode(src[srcOffset + i])}. */
  public static void decode(short[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Bf16.decode(src[srcOffset + i]);
    }
  }
}
