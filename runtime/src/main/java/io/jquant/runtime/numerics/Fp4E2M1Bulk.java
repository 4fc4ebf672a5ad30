package io.jquant.runtime.numerics;

/**
 * Bulk conversions between float32 arrays and packed {@link Fp4E2M1} codes (element {@code 2j} in the low nibble
 * of byte {@code j}, FORMATS.md §2.4), bit for bit equal to {@link Fp4E2M1#encode} / {@link Fp4E2M1#decode}
 * applied element by element.
 *
 * <p>Packed runs start on a byte: element {@code i} of a run is nibble {@code i % 2} of byte
 * {@code packedOffset + i / 2}. An odd {@code length} leaves the high nibble of the last byte 0.
 */
public final class Fp4E2M1Bulk {
  private Fp4E2M1Bulk() {}

  /** Packs the codes of {@code src[srcOffset + i] / divisor} (a float32 division per element). */
  public static void encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] packed, int packedOffset, int length) {
    for (int i = 0; i + 1 < length; i += 2) {
      packed[packedOffset + i / 2] =
          Fp4E2M1.pack(
              Fp4E2M1.encode(src[srcOffset + i] / divisor), Fp4E2M1.encode(src[srcOffset + i + 1] / divisor));
    }
    if (length % 2 == 1) {
      packed[packedOffset + length / 2] = Fp4E2M1.pack(Fp4E2M1.encode(src[srcOffset + length - 1] / divisor), 0);
    }
  }

  /** Packs the codes of {@code src[srcOffset + i] * multiplier} (a float32 product per element). */
  public static void encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] packed, int packedOffset, int length) {
    for (int i = 0; i + 1 < length; i += 2) {
      packed[packedOffset + i / 2] =
          Fp4E2M1.pack(
              Fp4E2M1.encode(src[srcOffset + i] * multiplier),
              Fp4E2M1.encode(src[srcOffset + i + 1] * multiplier));
    }
    if (length % 2 == 1) {
      packed[packedOffset + length / 2] =
          Fp4E2M1.pack(Fp4E2M1.encode(src[srcOffset + length - 1] * multiplier), 0);
    }
  }

  /** Packs the codes of {@code src[srcOffset + i]}. */
  public static void encode(float[] src, int srcOffset, byte[] packed, int packedOffset, int length) {
    encodeMultiplied(src, srcOffset, 1.0f, packed, packedOffset, length);
  }

  /** {@code dst[dstOffset + i] = Fp4E2M1.decode(code i) * scale}: a float32 product per element. */
  public static void decodeScaled(
      byte[] packed, int packedOffset, float scale, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      byte pair = packed[packedOffset + i / 2];
      int code = i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair);
      dst[dstOffset + i] = Fp4E2M1.decode(code) * scale;
    }
  }

  /** {@code dst[dstOffset + i] = Fp4E2M1.decode(code i)}. */
  public static void decode(byte[] packed, int packedOffset, float[] dst, int dstOffset, int length) {
    for (int i = 0; i < length; i++) {
      byte pair = packed[packedOffset + i / 2];
      dst[dstOffset + i] = Fp4E2M1.decode(i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair));
    }
  }
}
