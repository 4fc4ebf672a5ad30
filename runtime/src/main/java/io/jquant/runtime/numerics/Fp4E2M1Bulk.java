package io.jquant.runtime.numerics;

import java.util.Objects;

/**
 * Bulk conversions between float32 arrays and packed {@link Fp4E2M1} codes (element {@code 2j} in the low
 * nibble of byte {@code j}, docs/FORMATS.md §2.4), bit for bit equal to {@link Fp4E2M1#encode} /
 * {@link Fp4E2M1#decode} applied element by element. With the Vector API (see {@link VectorSupport}) lane
 * loops do the whole vectors and the scalar definition the tail; without it the scalar definition does all.
 *
 * <p>Packed runs start on a byte: element {@code i} of a run is nibble {@code i % 2} of byte
 * {@code packedOffset + i / 2}. An odd {@code length} leaves the high nibble of the last byte 0. A run
 * outside its array throws {@link IndexOutOfBoundsException} before anything is written.
 */
public final class Fp4E2M1Bulk {
  /**
   * Whether the lane loops run: decided once, and without loading a vector class when the module is missing.
   */
  private static final boolean VECTOR = VectorSupport.available() && Lanes.enabled();

  private Fp4E2M1Bulk() {}

  /** Packs the codes of {@code src[srcOffset + i] / divisor} (a float32 division per element). */
  public static void encodeDivided(
      float[] src, int srcOffset, float divisor, byte[] packed, int packedOffset, int length) {
    checkRanges(src.length, srcOffset, packed.length, packedOffset, length);
    // The lanes stop on an even element, so the pairs below start on a byte.
    int i = VECTOR ? E2M1Lanes.encodeDivided(src, srcOffset, divisor, packed, packedOffset, length) : 0;
    for (; i + 1 < length; i += 2) {
      packed[packedOffset + i / 2] = Fp4E2M1.pack(
          Fp4E2M1.encode(src[srcOffset + i] / divisor), Fp4E2M1.encode(src[srcOffset + i + 1] / divisor));
    }
    if (i < length) {
      packed[packedOffset + i / 2] = Fp4E2M1.pack(Fp4E2M1.encode(src[srcOffset + i] / divisor), 0);
    }
  }

  /** Packs the codes of {@code src[srcOffset + i] * multiplier} (a float32 product per element). */
  public static void encodeMultiplied(
      float[] src, int srcOffset, float multiplier, byte[] packed, int packedOffset, int length) {
    checkRanges(src.length, srcOffset, packed.length, packedOffset, length);
    int i = VECTOR ? E2M1Lanes.encodeMultiplied(src, srcOffset, multiplier, packed, packedOffset, length) : 0;
    for (; i + 1 < length; i += 2) {
      packed[packedOffset + i / 2] = Fp4E2M1.pack(
          Fp4E2M1.encode(src[srcOffset + i] * multiplier),
          Fp4E2M1.encode(src[srcOffset + i + 1] * multiplier));
    }
    if (i < length) {
      packed[packedOffset + i / 2] = Fp4E2M1.pack(Fp4E2M1.encode(src[srcOffset + i] * multiplier), 0);
    }
  }

  /** Packs the codes of {@code src[srcOffset + i]}. */
  public static void encode(float[] src, int srcOffset, byte[] packed, int packedOffset, int length) {
    checkRanges(src.length, srcOffset, packed.length, packedOffset, length);
    int i = VECTOR ? E2M1Lanes.encode(src, srcOffset, packed, packedOffset, length) : 0;
    for (; i + 1 < length; i += 2) {
      packed[packedOffset + i / 2] = Fp4E2M1.pack(Fp4E2M1.encode(src[srcOffset + i]),
          Fp4E2M1.encode(src[srcOffset + i + 1]));
    }
    if (i < length) {
      packed[packedOffset + i / 2] = Fp4E2M1.pack(Fp4E2M1.encode(src[srcOffset + i]), 0);
    }
  }

  /** {@code dst[dstOffset + i] = Fp4E2M1.decode(code i) * scale}: a float32 product per element. */
  public static void decodeScaled(
      byte[] packed, int packedOffset, float scale, float[] dst, int dstOffset, int length) {
    checkRanges(dst.length, dstOffset, packed.length, packedOffset, length);
    int i = VECTOR ? E2M1Lanes.decodeScaled(packed, packedOffset, scale, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp4E2M1.decode(code(packed[packedOffset + i / 2], i)) * scale;
    }
  }

  /** {@code dst[dstOffset + i] = Fp4E2M1.decode(code i)}. */
  public static void decode(byte[] packed, int packedOffset, float[] dst, int dstOffset, int length) {
    checkRanges(dst.length, dstOffset, packed.length, packedOffset, length);
    int i = VECTOR ? E2M1Lanes.decode(packed, packedOffset, dst, dstOffset, length) : 0;
    for (; i < length; i++) {
      dst[dstOffset + i] = Fp4E2M1.decode(code(packed[packedOffset + i / 2], i));
    }
  }

  /**
   * Packs the codes of {@code src[srcOffset + i] / divisors[divisorsOffset + i / blockSize]} (a float32
   * division per element) for i in [0, length): one call for a row of blocks, each with its own divisor, the
   * last block short when {@code blockSize} does not divide {@code length}.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive and even (a block must start on a
   * byte)
   * @throws IndexOutOfBoundsException if a run is not inside its array
   */
  public static void encodeBlocksDivided(float[] src, int srcOffset, int length, int blockSize,
      float[] divisors, int divisorsOffset, byte[] packed, int packedOffset) {
    int blocks = checkBlocks(src.length, srcOffset, length, blockSize, divisors.length, divisorsOffset,
        packed.length, packedOffset);
    if (VECTOR) {
      E2M1Lanes.encodeBlocks(src, srcOffset, length, blockSize, divisors, divisorsOffset, true, packed,
          packedOffset);
      return;
    }
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      packBlock(src, srcOffset, divisors[divisorsOffset + b], true, packed, packedOffset, start,
          Math.min(length, start + blockSize));
    }
  }

  /**
   * Packs the codes of {@code src[srcOffset + i] * multipliers[multipliersOffset + i / blockSize]} (a float32
   * product per element) for i in [0, length), the last block short when {@code blockSize} does not divide
   * {@code length}.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive and even
   * @throws IndexOutOfBoundsException if a run is not inside its array
   */
  public static void encodeBlocksMultiplied(float[] src, int srcOffset, int length, int blockSize,
      float[] multipliers, int multipliersOffset, byte[] packed, int packedOffset) {
    int blocks = checkBlocks(src.length, srcOffset, length, blockSize, multipliers.length, multipliersOffset,
        packed.length, packedOffset);
    if (VECTOR) {
      E2M1Lanes.encodeBlocks(src, srcOffset, length, blockSize, multipliers, multipliersOffset, false, packed,
          packedOffset);
      return;
    }
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      packBlock(src, srcOffset, multipliers[multipliersOffset + b], false, packed, packedOffset, start,
          Math.min(length, start + blockSize));
    }
  }

  /**
   * {@code dst[dstOffset + i] = Fp4E2M1.decode(code i) * scales[scalesOffset + i / blockSize]} (a float32
   * product per element) for i in [0, length), the last block short when {@code blockSize} does not divide
   * {@code length}.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive and even
   * @throws IndexOutOfBoundsException if a run is not inside its array
   */
  public static void decodeBlocksScaled(byte[] packed, int packedOffset, int length, int blockSize,
      float[] scales, int scalesOffset, float[] dst, int dstOffset) {
    int blocks = checkBlocks(dst.length, dstOffset, length, blockSize, scales.length, scalesOffset,
        packed.length, packedOffset);
    if (VECTOR) {
      E2M1Lanes.decodeBlocksScaled(packed, packedOffset, length, blockSize, scales, scalesOffset, dst,
          dstOffset);
      return;
    }
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize;
      decodeBlock(packed, packedOffset, scales[scalesOffset + b], dst, dstOffset, start,
          Math.min(length, start + blockSize));
    }
  }

  /**
   * The scalar definition on elements [from, to) of a run, {@code from} even: packs the codes of each element
   * divided by {@code factor} when {@code divide}, else multiplied by it.
   */
  static void packBlock(float[] src, int srcOffset, float factor, boolean divide, byte[] packed,
      int packedOffset, int from, int to) {
    int i = from;
    for (; i + 1 < to; i += 2) {
      float even = src[srcOffset + i];
      float odd = src[srcOffset + i + 1];
      packed[packedOffset + i / 2] = divide
          ? Fp4E2M1.pack(Fp4E2M1.encode(even / factor), Fp4E2M1.encode(odd / factor))
          : Fp4E2M1.pack(Fp4E2M1.encode(even * factor), Fp4E2M1.encode(odd * factor));
    }
    if (i < to) {
      float even = src[srcOffset + i];
      packed[packedOffset + i / 2] = Fp4E2M1.pack(Fp4E2M1.encode(divide ? even / factor : even * factor), 0);
    }
  }

  /** The scalar definition of {@link #decodeBlocksScaled} on elements [from, to) of a run. */
  static void decodeBlock(byte[] packed, int packedOffset, float scale, float[] dst, int dstOffset, int from,
      int to) {
    for (int i = from; i < to; i++) {
      dst[dstOffset + i] = Fp4E2M1.decode(code(packed[packedOffset + i / 2], i)) * scale;
    }
  }

  /**
   * Checks the block size, the float run, its packed bytes and the per-block factors; the number of blocks.
   */
  private static int checkBlocks(int floatsLength, int floatsOffset, int length, int blockSize,
      int factorsLength, int factorsOffset, int packedLength, int packedOffset) {
    int blocks = Ranges.blocks(length, blockSize);
    if (blockSize % 2 != 0) {
      throw new IllegalArgumentException("FP4 blocks must start on a byte: the size must be even, got "
          + blockSize);
    }
    checkRanges(floatsLength, floatsOffset, packedLength, packedOffset, length);
    Objects.checkFromIndexSize(factorsOffset, blocks, factorsLength);
    return blocks;
  }

  /** The code of element {@code i} from its byte: the low nibble for even i, the high one for odd i. */
  private static int code(byte pair, int i) {
    return i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair);
  }

  /**
   * Checks a float run of {@code length} elements and the packed run of its {@code ceil(length / 2)} bytes.
   */
  private static void checkRanges(
      int floatsLength, int floatsOffset, int packedLength, int packedOffset, int length) {
    Objects.checkFromIndexSize(floatsOffset, length, floatsLength);
    Objects.checkFromIndexSize(packedOffset, length / 2 + length % 2, packedLength);
  }
}
