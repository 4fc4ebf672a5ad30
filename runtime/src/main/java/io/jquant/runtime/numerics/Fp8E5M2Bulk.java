package io.jquant.runtime.numerics;

/**
 * Bulk conversions between float32 arrays and {@link Fp8E5M2} codes, bit for bit equal to {@link Fp8E5M2#encode} and
 * {@link Fp8E5M2#decode} applied element by element.
 */
public final class Fp8E5M2Bulk {
  private Fp8E5M2Bulk() {}

  /** {@code dst[dstOffset + i] = Fp8E5M2.encode(src[srcOffset + i])} for i in [0, length). */
  public static void encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp8E5M2.encode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E5M2.encode(src[srcOffset + i] / divisor)}: a float32 division per element. */
  public static void encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp8E5M2.encode(src[srcOffset + i] / divisor);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E5M2.encode(src[srcOffset + i] * multiplier)}: a float32 product per element. */
  public static void encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp8E5M2.encode(src[srcOffset + i] * multiplier);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E5M2.decode(src[srcOffset + i])}. */
  public static void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp8E5M2.decode(src[srcOffset + i]);
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E5M2.decode(src[srcOffset + i]) * scale}: a float32 product per element. */
  public static void decodeScaled(
      byte[] src, int srcOffset, float scale, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp8E5M2.decode(src[srcOffset + i]) * scale;
    }
  }
}
