package io.jquant.runtime.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The row-of-blocks calls ({@link AbsMax#ofBlocks}, {@code encodeBlocks...} and {@code decodeBlocksScaled} of
 * {@link Fp4E2M1Bulk} and {@link Fp8E4M3Bulk}) against their definitions written out here element by element
 * with the scalar codecs: block sizes below, at and above the lane counts (8 and 16) and not multiples of
 * them, every length from empty to several blocks (so short last blocks of every size), offsets, random and
 * edge inputs and factors; nothing outside the destination run may change. {@link NoVectorModuleTest} runs
 * them without the Vector API.
 */
class BlockBulkTest {
  private static final int[] BLOCKS = { 1, 2, 6, 7, 8, 16, 18, 24, 32, 48, 128 };
  private static final int[] EVEN_BLOCKS = { 2, 6, 8, 16, 18, 24, 32, 48, 128 };
  private static final float[] EDGES = {
      0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL, 0x1p-9f, 0x1.8p-10f, 0.25f, -0.75f, 1.25f, 2.5f, -5.0f,
      6.0f, 448.0f, -464.0f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
      Float.intBitsToFloat(0xFFC00001),
  };
  private static final float[] FACTOR_EDGES = {
      1.0f, 0.37f, -2.0f, 0x1p-130f, 0.0f, 1e30f, Float.POSITIVE_INFINITY, Float.NaN,
  };
  private static final byte BYTE_SENTINEL = 0x5A;
  private static final float FLOAT_SENTINEL = Float.intBitsToFloat(0x12345679);
  private static final int SRC_OFFSET = 5;
  private static final int DST_OFFSET = 3;
  private static final int FACTORS_OFFSET = 2;

  private final SplittableRandom random = new SplittableRandom(20261129);

  @Test
  void absMaxOfBlocksIsAbsMaxOfEachBlock() {
    for (int block : BLOCKS) {
      for (int length : lengths(block)) {
        float[] src = floats(SRC_OFFSET + length);
        int blocks = Math.ceilDiv(length, block);
        float[] maxima = filled(DST_OFFSET + blocks + 2);
        AbsMax.ofBlocks(src, SRC_OFFSET, length, block, maxima, DST_OFFSET);
        float[] expected = filled(maxima.length);
        for (int b = 0; b < blocks; b++) {
          float max = 0.0f; // AbsMax's definition: the largest magnitude, NaN if the block holds one
          for (int i = b * block; i < Math.min(length, (b + 1) * block); i++) {
            max = Math.max(max, Math.abs(src[SRC_OFFSET + i]));
          }
          expected[DST_OFFSET + b] = max;
        }
        assertBitsOrAnyNan(expected, maxima, "AbsMax.ofBlocks block " + block + " length " + length);
      }
    }
  }

  @Test
  void fp8BlocksEncodeEachElementWithItsBlocksFactor() {
    for (int block : BLOCKS) {
      for (int length : lengths(block)) {
        float[] src = floats(SRC_OFFSET + length);
        float[] factors = factors(FACTORS_OFFSET + Math.ceilDiv(length, block));
        byte[] divided = bytes(DST_OFFSET + length + 2);
        byte[] multiplied = bytes(divided.length);
        Fp8E4M3Bulk.encodeBlocksDivided(src, SRC_OFFSET, length, block, factors, FACTORS_OFFSET, divided,
            DST_OFFSET);
        Fp8E4M3Bulk.encodeBlocksMultiplied(src, SRC_OFFSET, length, block, factors, FACTORS_OFFSET,
            multiplied,
            DST_OFFSET);
        byte[] expectedDivided = bytes(divided.length);
        byte[] expectedMultiplied = bytes(divided.length);
        int[] masks = masks(divided.length);
        for (int i = 0; i < length; i++) {
          float k = factors[FACTORS_OFFSET + i / block];
          expectedDivided[DST_OFFSET + i] = Fp8E4M3.encode(src[SRC_OFFSET + i] / k);
          expectedMultiplied[DST_OFFSET + i] = Fp8E4M3.encode(src[SRC_OFFSET + i] * k);
          if (Float.isNaN(src[SRC_OFFSET + i]) && Float.isNaN(k)) {
            masks[DST_OFFSET + i] = 0x7F;
          }
        }
        String where = " block " + block + " length " + length;
        assertBytes(expectedDivided, divided, masks, "Fp8E4M3Bulk.encodeBlocksDivided" + where);
        assertBytes(expectedMultiplied, multiplied, masks, "Fp8E4M3Bulk.encodeBlocksMultiplied" + where);
      }
    }
  }

  @Test
  void fp8BlocksDecodeEveryCodeWithItsBlocksScale() {
    for (int block : BLOCKS) {
      for (int length : lengths(block)) {
        byte[] src = codes(SRC_OFFSET + length);
        float[] scales = factors(FACTORS_OFFSET + Math.ceilDiv(length, block));
        float[] actual = filled(DST_OFFSET + length + 2);
        Fp8E4M3Bulk.decodeBlocksScaled(src, SRC_OFFSET, length, block, scales, FACTORS_OFFSET, actual,
            DST_OFFSET);
        float[] expected = filled(actual.length);
        for (int i = 0; i < length; i++) {
          float value = Fp8E4M3.decode(src[SRC_OFFSET + i]);
          float scale = scales[FACTORS_OFFSET + i / block];
          expected[DST_OFFSET + i] = value * scale;
          acceptAnyNan(value, scale, expected, actual, DST_OFFSET + i);
        }
        assertBits(expected, actual, "Fp8E4M3Bulk.decodeBlocksScaled block " + block + " length " + length);
      }
    }
  }

  @Test
  void fp4BlocksEncodeEachElementWithItsBlocksFactor() {
    for (int block : EVEN_BLOCKS) {
      for (int length : lengths(block)) {
        float[] src = floats(SRC_OFFSET + length);
        float[] factors = factors(FACTORS_OFFSET + Math.ceilDiv(length, block));
        int bytes = DST_OFFSET + (length + 1) / 2 + 2;
        byte[] divided = bytes(bytes);
        byte[] multiplied = bytes(bytes);
        Fp4E2M1Bulk.encodeBlocksDivided(src, SRC_OFFSET, length, block, factors, FACTORS_OFFSET, divided,
            DST_OFFSET);
        Fp4E2M1Bulk.encodeBlocksMultiplied(src, SRC_OFFSET, length, block, factors, FACTORS_OFFSET,
            multiplied,
            DST_OFFSET);
        byte[] expectedDivided = bytes(bytes);
        byte[] expectedMultiplied = bytes(bytes);
        int[] masks = masks(bytes);
        for (int i = 0; i < (length + 1) / 2; i++) {
          expectedDivided[DST_OFFSET + i] = 0;
          expectedMultiplied[DST_OFFSET + i] = 0;
        }
        for (int i = 0; i < length; i++) {
          float k = factors[FACTORS_OFFSET + i / block];
          int shift = 4 * (i % 2);
          expectedDivided[DST_OFFSET + i / 2] |= (byte) (Fp4E2M1.encode(src[SRC_OFFSET + i] / k) << shift);
          expectedMultiplied[DST_OFFSET + i / 2] |= (byte) (Fp4E2M1.encode(src[SRC_OFFSET + i] * k) << shift);
          if (Float.isNaN(src[SRC_OFFSET + i]) && Float.isNaN(k)) {
            masks[DST_OFFSET + i / 2] &= ~(0x8 << shift);
          }
        }
        String where = " block " + block + " length " + length;
        assertBytes(expectedDivided, divided, masks, "Fp4E2M1Bulk.encodeBlocksDivided" + where);
        assertBytes(expectedMultiplied, multiplied, masks, "Fp4E2M1Bulk.encodeBlocksMultiplied" + where);
      }
    }
  }

  @Test
  void fp4BlocksDecodeEveryNibbleWithItsBlocksScale() {
    for (int block : EVEN_BLOCKS) {
      for (int length : lengths(block)) {
        byte[] packed = codes(SRC_OFFSET + (length + 1) / 2);
        float[] scales = factors(FACTORS_OFFSET + Math.ceilDiv(length, block));
        float[] actual = filled(DST_OFFSET + length + 2);
        Fp4E2M1Bulk.decodeBlocksScaled(packed, SRC_OFFSET, length, block, scales, FACTORS_OFFSET, actual,
            DST_OFFSET);
        float[] expected = filled(actual.length);
        for (int i = 0; i < length; i++) {
          byte pair = packed[SRC_OFFSET + i / 2];
          int code = i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair);
          float scale = scales[FACTORS_OFFSET + i / block];
          expected[DST_OFFSET + i] = Fp4E2M1.decode(code) * scale;
          acceptAnyNan(Fp4E2M1.decode(code), scale, expected, actual, DST_OFFSET + i);
        }
        assertBits(expected, actual, "Fp4E2M1Bulk.decodeBlocksScaled block " + block + " length " + length);
      }
    }
  }

  @Test
  void badBlocksAndRangesThrowBeforeWriting() {
    float[] src = new float[64];
    float[] factors = new float[4];
    byte[] bytes = new byte[64];
    float[] floats = new float[64];
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> AbsMax.ofBlocks(src, 0, 64, 0, factors, 0));
    assertEquals("blocks need a positive size and a non-negative length, got size 0, length 64",
        zero.getMessage());
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> Fp4E2M1Bulk.encodeBlocksDivided(src, 0, 63, 21, factors, 0, bytes, 0));
    assertEquals("FP4 blocks must start on a byte: the size must be even, got 21", odd.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Fp8E4M3Bulk.decodeBlocksScaled(bytes, 0, 64, -16, factors, 0, floats, 0));
    // 64 elements in blocks of 16 need 4 factors: from offset 1 there are 3.
    assertThrows(IndexOutOfBoundsException.class,
        () -> Fp8E4M3Bulk.encodeBlocksMultiplied(src, 0, 64, 16, factors, 1, bytes, 0));
    assertThrows(IndexOutOfBoundsException.class,
        () -> Fp4E2M1Bulk.decodeBlocksScaled(bytes, 40, 64, 16, factors, 0, floats, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> AbsMax.ofBlocks(src, 1, 64, 16, factors, 0));
    for (byte b : bytes) {
      assertEquals(0, b, "nothing written");
    }
    for (float f : floats) {
      assertEquals(0.0f, f, "nothing written");
    }
  }

  /** Every length up to three blocks and a vector, then a few long runs. */
  private static int[] lengths(int block) {
    int max = 3 * block + 17;
    int[] lengths = new int[max + 3];
    for (int i = 0; i <= max; i++) {
      lengths[i] = i;
    }
    lengths[max + 1] = 10 * block + 1;
    lengths[max + 2] = 20 * block;
    return lengths;
  }

  /** Random floats of many magnitudes, a few in every block exactly at a rounding or saturation edge. */
  private float[] floats(int length) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = random.nextInt(8) == 0
          ? EDGES[random.nextInt(EDGES.length)]
          : (float) (random.nextGaussian() * Math.pow(2, random.nextInt(-12, 10)));
    }
    return x;
  }

  /** Random positive factors, an edge one now and then. */
  private float[] factors(int length) {
    float[] k = new float[length];
    for (int i = 0; i < length; i++) {
      k[i] = random.nextInt(6) == 0
          ? FACTOR_EDGES[random.nextInt(FACTOR_EDGES.length)]
          : (float) Math.pow(2, random.nextDouble(-8, 8));
    }
    return k;
  }

  private byte[] codes(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  private static byte[] bytes(int length) {
    byte[] b = new byte[length];
    Arrays.fill(b, BYTE_SENTINEL);
    return b;
  }

  private static float[] filled(int length) {
    float[] f = new float[length];
    Arrays.fill(f, FLOAT_SENTINEL);
    return f;
  }

  /**
   * Every bit a byte may differ in: all of them, but NaN times (or over) NaN is a NaN whose sign Java leaves
   * open (x86 keeps the first operand's, and C2 may swap a product's operands), so there its sign bit is not.
   */
  private static int[] masks(int length) {
    int[] masks = new int[length];
    Arrays.fill(masks, 0xFF);
    return masks;
  }

  /** A NaN value times a NaN scale may be either NaN (see {@link #masks}): any NaN is then accepted. */
  private static void acceptAnyNan(float value, float scale, float[] expected, float[] actual, int at) {
    if (Float.isNaN(value) && Float.isNaN(scale) && Float.isNaN(actual[at])) {
      actual[at] = expected[at];
    }
  }

  private static void assertBytes(byte[] expected, byte[] actual, int[] masks, String where) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i] & masks[i], actual[i] & masks[i], where + " at byte " + i);
    }
  }

  /**
   * By raw bits where a number is expected; where NaN is expected any NaN passes. AbsMax promises a NaN, not
   * which one: the expected side's Math.max returns its NaN operand when interpreted but a NaN of its own
   * (0x7FC00000) once C2 compiles it, so a payload check would depend on JIT timing.
   */
  private static void assertBitsOrAnyNan(float[] expected, float[] actual, String where) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.isNaN(expected[i])) {
        assertTrue(Float.isNaN(actual[i]), where + " at " + i + ": expected NaN, got " + actual[i]);
      } else {
        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
            where + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
      }
    }
  }

  /** By raw bits, so NaN payloads and signed zeros count. */
  private static void assertBits(float[] expected, float[] actual, String where) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          where + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
    }
  }
}
