package io.jquant.runtime.numerics;

import java.util.Objects;

/**
 * Bulk conversions between float32 arrays and {@link Fp8E4M3} codes, bit for bit equal to
 * {@link Fp8E4M3#encode} and {@link Fp8E4M3#decode} applied element by element. With the Vector API (see
 * {@link VectorSupport}) lane loops do the whole vectors and the scalar definition the tail; without it the
 * scalar definition does all.
 *
 * <p>A run outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Fp8E4M3Bulk {
  /**
   * Whether the lane loops run: decided once, and without loading a vector class when the module is missing.
   */
  private static final boolean VECTOR = VectorSupport.available() && Lanes.enabled();

  private Fp8E4M3Bulk() {}

  /** {@code dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i])} for i in [0, length). */
  public static void encode(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Fp8E4M3Lanes.encode(src, srcOffset, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i]);
    }
  }

  /**
   * {@code dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] / divisor)}: a float32 division per
   * element.
   */
  public static void encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Fp8E4M3Lanes.encodeDivided(src, srcOffset, divisor, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] / divisor);
    }
  }

  /**
   * {@code dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] * multiplier)}: a float32 product per
   * element.
   */
  public static void encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Fp8E4M3Lanes.encodeMultiplied(src, srcOffset, multiplier, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] * multiplier);
    }
  }

  /**
   * {@code dst[dstOffset + i] =}
   * {@code Fp8E4M3.encode(src[srcOffset + i] / divisors[divisorsOffset + i / blockSize])} for i in [0,
   * length): a float32 division per element, one call for a row of blocks with a divisor each, the last block
   * short when {@code blockSize} does not divide {@code length}.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive
   * @throws IndexOutOfBoundsException if a run is not inside its array
   */
  public static void encodeBlocksDivided(float[] src, int srcOffset, int length, int blockSize,
      float[] divisors, int divisorsOffset, byte[] dst, int dstOffset) {
    encodeBlocks(src, srcOffset, length, blockSize, divisors, divisorsOffset, true, dst, dstOffset);
  }

  /**
   * {@code dst[dstOffset + i] = Fp8E4M3.encode(src[srcOffset + i] * multipliers[multipliersOffset + i /
   * blockSize])} for i in [0, length): a float32 product per element, the last block short when
   * {@code blockSize} does not divide {@code length}.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive
   * @throws IndexOutOfBoundsException if a run is not inside its array
   */
  public static void encodeBlocksMultiplied(float[] src, int srcOffset, int length, int blockSize,
      float[] multipliers, int multipliersOffset, byte[] dst, int dstOffset) {
    encodeBlocks(src, srcOffset, length, blockSize, multipliers, multipliersOffset, false, dst, dstOffset);
  }

  private static void encodeBlocks(float[] src, int srcOffset, int length, int blockSize, float[] factors,
      int factorsOffset, boolean divide, byte[] dst, int dstOffset) {
    int blocks = Ranges.blocks(length, blockSize);
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    Objects.checkFromIndexSize(factorsOffset, blocks, factors.length);
    if (VECTOR) {
      Fp8E4M3Lanes.encodeBlocks(src, srcOffset, length, blockSize, factors, factorsOffset, divide, dst,
          dstOffset);
      return;
    }
    for (int i = 0; i < length; i++) {
      float factor = factors[factorsOffset + i / blockSize];
      float x = src[srcOffset + i];
      dst[dstOffset + i] = Fp8E4M3.encode(divide ? x / factor : x * factor);
    }
  }

  /**
   * {@code dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]) * scales[scalesOffset + i / blockSize]}
   * for i in [0, length): a float32 product per element, the last block short when {@code blockSize} does not
   * divide {@code length}.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive
   * @throws IndexOutOfBoundsException if a run is not inside its array
   */
  public static void decodeBlocksScaled(byte[] src, int srcOffset, int length, int blockSize, float[] scales,
      int scalesOffset, float[] dst, int dstOffset) {
    int blocks = Ranges.blocks(length, blockSize);
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    Objects.checkFromIndexSize(scalesOffset, blocks, scales.length);
    if (VECTOR) {
      Fp8E4M3Lanes.decodeBlocksScaled(src, srcOffset, length, blockSize, scales, scalesOffset, dst,
          dstOffset);
      return;
    }
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]) * scales[scalesOffset + i / blockSize];
    }
  }

  /** {@code dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i])}. */
  public static void decode(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Fp8E4M3Lanes.decode(src, srcOffset, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]);
    }
  }

  /**
   * {@code dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]) * scale}: a float32 product per element.
   */
  public static void decodeScaled(
      byte[] src, int srcOffset, float scale, float[] dst, int dstOffset, int length) {
    Ranges.check(src.length, srcOffset, dst.length, dstOffset, length);
    int i = VECTOR ? Fp8E4M3Lanes.decodeScaled(src, srcOffset, scale, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp8E4M3.decode(src[srcOffset + i]) * scale;
    }
  }
}
