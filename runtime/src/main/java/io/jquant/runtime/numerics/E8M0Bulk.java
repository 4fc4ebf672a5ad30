package io.jquant.runtime.numerics;

/** Bulk conversions for {@link E8M0}, bit for bit equal to its scalar methods applied element by element. */
public final class E8M0Bulk {
  private E8M0Bulk() {}

  /** {@code dst[dstOffset + i] = (byte) E8M0.encode(src[srcOffset + i])}. */
  public static void encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = (byte) E8M0.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = E8M0.decode(src[srcOffset + i])}. */
  public static void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = E8M0.decode(src[srcOffset + i]);
    }
  }
}
