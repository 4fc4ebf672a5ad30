package io.jquant.runtime.numerics;

/**
 * Bulk conversions between float32 arrays and {@link Int8} codes, bit for bit equal to {@link Int8#encode} and
 * {@link Int8#decode} applied element by element.
 */
public final class Int8Bulk {
  private Int8Bulk() {}

  /** {@code dst[dstOffset + i] = Int8.encode(src[srcOffset + i])} for i in [0, length). */
  public static void encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Int8.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Int8.encode(src[srcOffset + i] / divisor)}: a float32 division per element. */
  public static void encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Int8.encode(src[srcOffset + i] / divisor);
    }
  }

  /** {@code dst[dstOffset + i] = Int8.encode(src[srcOffset + i] * multiplier)}: a float32 product per element. */
  public static void encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Int8.encode(src[srcOffset + i] * multiplier);
    }
  }

  /** {@code dst[dstOffset + i] = Int8.decode(src[srcOffset + i])}. */
  public static void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Int8.decode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Int8.decode(src[srcOffset + i]) * scale}: a float32 product per element. */
  public static void decodeScaled(
      byte[] src, int srcOffset, float scale, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Int8.decode(src[srcOffset + i]) * scale;
    }
  }
}
