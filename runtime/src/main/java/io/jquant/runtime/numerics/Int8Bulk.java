package io.jquant.runtime.numerics;

/**
 * Bulk conversions between float32 arrays and {@link Int8} codes, bit for bit equal to {@link Int8#encode}
 * and {@link Int8#decode} applied element by element. With the Vector API (see {@link VectorSupport}) lane
 * loops do the whole vectors and the scalar definition the tail; without it the scalar definition does all.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Int8Bulk {
  /**
   * Whether the lane loops run: decided once, and without loading a vector class when the module is missing.
   */
  private static final boolean VECTOR = VectorSupport.available() && Lanes.enabled();

  private Int8Bulk() {}

  /** {@code dst[dstOffset + i] = Int8.encode(src[srcOffset + i])} for i in [0, length). */
  public static void encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Int8Lanes.encode(src, srcOffset, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Int8.encode(src[srcOffset + i]);
    }
  }

  /**
   * {@code dst[dstOffset + i] = Int8.encode(src[srcOffset + i] / divisor)}: a float32 division per element.
   */
  public static void encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Int8Lanes.encodeDivided(src, srcOffset, divisor, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Int8.encode(src[srcOffset + i] / divisor);
    }
  }

  /**
   * {@code dst[dstOffset + i] = Int8.encode(src[srcOffset + i] * multiplier)}: a float32 product per element.
   */
  public static void encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Int8Lanes.encodeMultiplied(src, srcOffset, multiplier, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Int8.encode(src[srcOffset + i] * multiplier);
    }
  }

  /** {@code dst[dstOffset + i] = Int8.decode(src[srcOffset + i])}. */
  public static void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Int8Lanes.decode(src, srcOffset, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Int8.decode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Int8.decode(src[srcOffset + i]) * scale}: a float32 product per element. */
  public static void decodeScaled(
      byte[] src, int srcOffset, float scale, float[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Int8Lanes.decodeScaled(src, srcOffset, scale, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Int8.decode(src[srcOffset + i]) * scale;
    }
  }
}
