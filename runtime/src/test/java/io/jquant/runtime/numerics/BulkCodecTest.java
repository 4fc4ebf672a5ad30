package io.jquant.runtime.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bulk codecs against their scalar definitions: every decoder on every code, every encoder at many
 * offsets and lengths (so vector bodies, scalar tails and odd FP4 runs all run), encodeDivided /
 * encodeMultiplied on random inputs and divisors, range checks, and {@link AbsMax}.
 * {@link BulkCodecExhaustiveTest} covers the encoders' vector paths on every float.
 */
class BulkCodecTest {
  private static final byte BYTE_SENTINEL = 0x5A;
  private static final short SHORT_SENTINEL = 0x5A5A;
  /** A value no decoder produces, so a stray write shows; not a NaN, so it is always compared by bits. */
  private static final float FLOAT_SENTINEL = Float.intBitsToFloat(0x12345679);
  private static final int[] OFFSETS = { 0, 1, 3, 7, 16, 17 };
  private static final int MAX_LENGTH = 70;

  private interface BulkToBytes {
    void run(float[] src, int srcOffset, byte[] dst, int dstOffset, int length);
  }

  private interface BulkToShorts {
    void run(float[] src, int srcOffset, short[] dst, int dstOffset, int length);
  }

  private interface BulkFromBytes {
    void run(byte[] src, int srcOffset, float[] dst, int dstOffset, int length);
  }

  private interface BulkFromShorts {
    void run(short[] src, int srcOffset, float[] dst, int dstOffset, int length);
  }

  private interface FloatToInt {
    int of(float x);
  }

  private interface IntToFloat {
    float of(int code);
  }

  private record ByteEncoder(String name, BulkToBytes bulk, FloatToInt scalar) {}

  private record ByteDecoder(String name, BulkFromBytes bulk, IntToFloat scalar, boolean nanByBits) {}

  // ---- decoders on every code -----------------------------------------------------------------------------

  @Test
  void byteDecodersAgreeWithScalarOnEveryCodeAtEveryLanePosition() {
    byte[] codes = new byte[256 + 40];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) i;
    }
    for (ByteDecoder decoder : byteDecoders()) {
      for (int offset = 0; offset < 40; offset++) {
        int length = 256 + 40 - offset;
        float[] actual = new float[length];
        decoder.bulk().run(codes, offset, actual, 0, length);
        for (int i = 0; i < length; i++) {
          float expected = decoder.scalar().of(codes[offset + i]);
          String where = decoder.name() + " code " + (codes[offset + i] & 0xFF);
          assertSameFloat(expected, actual[i], decoder.nanByBits(), where);
        }
      }
    }
  }

  @Test
  void fp4DecodersAgreeWithScalarOnEveryNibbleInBothPositions() {
    byte[] packed = new byte[256 + 20];
    for (int i = 0; i < packed.length; i++) {
      packed[i] = (byte) i;
    }
    for (float scale : new float[] { 1.0f, 0.375f, -3.0f, 0x1p-148f, Float.POSITIVE_INFINITY, Float.NaN }) {
      for (int offset = 0; offset < 20; offset++) {
        int length = 2 * (packed.length - offset);
        float[] plain = new float[length];
        float[] scaled = new float[length];
        Fp4E2M1Bulk.decode(packed, offset, plain, 0, length);
        Fp4E2M1Bulk.decodeScaled(packed, offset, scale, scaled, 0, length);
        for (int i = 0; i < length; i++) {
          byte pair = packed[offset + i / 2];
          float value = Fp4E2M1.decode(i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair));
          String where = "FP4 byte 0x" + Integer.toHexString(pair & 0xFF) + " nibble " + i % 2;
          assertSameFloat(value, plain[i], true, where);
          assertSameFloat(value * scale, scaled[i], false, where + " scale " + scale);
        }
      }
    }
  }

  @Test
  void shortDecodersAgreeWithScalarOnEveryCode() {
    short[] codes = new short[65536 + 24];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (short) i;
    }
    for (int offset : new int[] { 0, 1, 5, 13, 24 }) {
      int length = codes.length - offset;
      float[] bf16 = new float[length];
      float[] fp16 = new float[length];
      Bf16Bulk.decode(codes, offset, bf16, 0, length);
      Fp16Bulk.decode(codes, offset, fp16, 0, length);
      for (int i = 0; i < length; i++) {
        short code = codes[offset + i];
        assertSameFloat(Bf16.decode(code), bf16[i], true, "BF16 code " + (code & 0xFFFF));
        assertSameFloat(Fp16.decode(code), fp16[i], true, "FP16 code " + (code & 0xFFFF));
      }
    }
  }

  // ---- encoders at offsets and lengths --------------------------------------------------------------------

  @Test
  void byteEncodersWriteExactlyTheirRunAtEveryOffsetAndLength() {
    float[] src = mixedFloats(new SplittableRandom(11), MAX_LENGTH + 20);
    for (ByteEncoder encoder : byteEncoders(1.5f)) {
      for (int srcOffset : OFFSETS) {
        for (int dstOffset : new int[] { 0, 1, 5 }) {
          for (int length = 0; srcOffset + length <= src.length && length <= MAX_LENGTH; length++) {
            byte[] actual = new byte[dstOffset + length + 9];
            Arrays.fill(actual, BYTE_SENTINEL);
            byte[] expected = actual.clone();
            for (int i = 0; i < length; i++) {
              expected[dstOffset + i] = (byte) encoder.scalar().of(src[srcOffset + i]);
            }
            encoder.bulk().run(src, srcOffset, actual, dstOffset, length);
            String where = " at " + srcOffset + "/" + dstOffset + " x" + length;
            assertArrayEquals(expected, actual, encoder.name() + where);
          }
        }
      }
    }
  }

  @Test
  void shortEncodersWriteExactlyTheirRunAtEveryOffsetAndLength() {
    float[] src = mixedFloats(new SplittableRandom(12), MAX_LENGTH + 20);
    for (int srcOffset : OFFSETS) {
      for (int dstOffset : new int[] { 0, 1, 5 }) {
        for (int length = 0; srcOffset + length <= src.length && length <= MAX_LENGTH; length++) {
          short[] bf16 = new short[dstOffset + length + 9];
          Arrays.fill(bf16, SHORT_SENTINEL);
          short[] fp16 = bf16.clone();
          short[] expectedBf16 = bf16.clone();
          short[] expectedFp16 = bf16.clone();
          for (int i = 0; i < length; i++) {
            expectedBf16[dstOffset + i] = Bf16.encode(src[srcOffset + i]);
            expectedFp16[dstOffset + i] = Fp16.encode(src[srcOffset + i]);
          }
          Bf16Bulk.encode(src, srcOffset, bf16, dstOffset, length);
          Fp16Bulk.encode(src, srcOffset, fp16, dstOffset, length);
          String where = " at " + srcOffset + "/" + dstOffset + " x" + length;
          assertArrayEquals(expectedBf16, bf16, "BF16" + where);
          assertArrayEquals(expectedFp16, fp16, "FP16" + where);
        }
      }
    }
  }

  @Test
  void fp4EncodersPackExactlyTheirRunAndLeaveTheLastHighNibbleZeroForOddLengths() {
    float[] src = mixedFloats(new SplittableRandom(13), MAX_LENGTH + 20);
    float factor = 0.75f;
    for (int srcOffset : OFFSETS) {
      for (int packedOffset : new int[] { 0, 1, 5 }) {
        for (int length = 0; srcOffset + length <= src.length && length <= MAX_LENGTH; length++) {
          int bytes = (length + 1) / 2;
          byte[] expectedPlain = sentinelBytes(packedOffset + bytes + 9);
          byte[] expectedDivided = expectedPlain.clone();
          byte[] expectedMultiplied = expectedPlain.clone();
          for (int j = 0; j < bytes; j++) {
            int even = srcOffset + 2 * j;
            boolean hasOdd = 2 * j + 1 < length;
            expectedPlain[packedOffset + j] = Fp4E2M1.pack(Fp4E2M1.encode(src[even]),
                hasOdd ? Fp4E2M1.encode(src[even + 1]) : 0);
            expectedDivided[packedOffset + j] = Fp4E2M1.pack(
                Fp4E2M1.encode(src[even] / factor), hasOdd ? Fp4E2M1.encode(src[even + 1] / factor) : 0);
            expectedMultiplied[packedOffset + j] = Fp4E2M1.pack(
                Fp4E2M1.encode(src[even] * factor), hasOdd ? Fp4E2M1.encode(src[even + 1] * factor) : 0);
          }
          byte[] plain = sentinelBytes(expectedPlain.length);
          byte[] divided = sentinelBytes(expectedPlain.length);
          byte[] multiplied = sentinelBytes(expectedPlain.length);
          Fp4E2M1Bulk.encode(src, srcOffset, plain, packedOffset, length);
          Fp4E2M1Bulk.encodeDivided(src, srcOffset, factor, divided, packedOffset, length);
          Fp4E2M1Bulk.encodeMultiplied(src, srcOffset, factor, multiplied, packedOffset, length);
          String where = " at " + srcOffset + "/" + packedOffset + " x" + length;
          assertArrayEquals(expectedPlain, plain, "encode" + where);
          assertArrayEquals(expectedDivided, divided, "encodeDivided" + where);
          assertArrayEquals(expectedMultiplied, multiplied, "encodeMultiplied" + where);
          if (length % 2 == 1) {
            assertEquals(0, Fp4E2M1.high(plain[packedOffset + length / 2]), "last high nibble" + where);
          }
        }
      }
    }
  }

  @Test
  void decodersWriteExactlyTheirRunAtEveryOffsetAndLength() {
    SplittableRandom random = new SplittableRandom(14);
    byte[] codes = new byte[MAX_LENGTH + 20];
    short[] halves = new short[MAX_LENGTH + 20];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) random.nextInt();
      halves[i] = (short) random.nextInt();
    }
    for (int srcOffset : OFFSETS) {
      for (int dstOffset : new int[] { 0, 1, 5 }) {
        for (int length = 0; srcOffset + length <= codes.length && length <= MAX_LENGTH; length++) {
          String where = " at " + srcOffset + "/" + dstOffset + " x" + length;
          for (ByteDecoder decoder : byteDecoders()) {
            float[] expected = sentinelFloats(dstOffset + length + 9);
            for (int i = 0; i < length; i++) {
              expected[dstOffset + i] = decoder.scalar().of(codes[srcOffset + i]);
            }
            float[] actual = sentinelFloats(expected.length);
            decoder.bulk().run(codes, srcOffset, actual, dstOffset, length);
            assertSameFloats(expected, actual, decoder.nanByBits(), decoder.name() + where);
          }
          float[] expectedFp4 = sentinelFloats(dstOffset + length + 9);
          float[] expectedBf16 = expectedFp4.clone();
          float[] expectedFp16 = expectedFp4.clone();
          for (int i = 0; i < length; i++) {
            byte pair = codes[srcOffset + i / 2];
            expectedFp4[dstOffset + i] = Fp4E2M1.decode(i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair));
            expectedBf16[dstOffset + i] = Bf16.decode(halves[srcOffset + i]);
            expectedFp16[dstOffset + i] = Fp16.decode(halves[srcOffset + i]);
          }
          float[] fp4 = sentinelFloats(expectedFp4.length);
          float[] bf16 = sentinelFloats(expectedFp4.length);
          float[] fp16 = sentinelFloats(expectedFp4.length);
          Fp4E2M1Bulk.decode(codes, srcOffset, fp4, dstOffset, length);
          Bf16Bulk.decode(halves, srcOffset, bf16, dstOffset, length);
          Fp16Bulk.decode(halves, srcOffset, fp16, dstOffset, length);
          assertSameFloats(expectedFp4, fp4, true, "FP4" + where);
          assertSameFloats(expectedBf16, bf16, true, "BF16" + where);
          assertSameFloats(expectedFp16, fp16, true, "FP16" + where);
        }
      }
    }
  }

  // ---- encodeDivided / encodeMultiplied on random inputs and divisors -------------------------------------

  @Test
  void dividedAndMultipliedEncodersAgreeWithScalarOnRandomInputsAndFactors() {
    SplittableRandom random = new SplittableRandom(15);
    float[] src = mixedFloats(random, (1 << 13) + 13);
    byte[] bulk = new byte[src.length];
    for (float factor : factors(random)) {
      for (ByteEncoder encoder : byteEncoders(factor)) {
        if (!encoder.name().contains("/") && !encoder.name().contains("*")) {
          continue;
        }
        encoder.bulk().run(src, 0, bulk, 0, src.length);
        // NaN times NaN is a NaN whose sign Java leaves open (x86 keeps the first operand's, and C2 may swap
        // the operands of a product), so there only the NaN code without its sign bit is compared.
        int signMask = Float.isNaN(factor) && encoder.name().contains("*") ? 0x7F : 0xFF;
        for (int i = 0; i < src.length; i++) {
          int mask = Float.isNaN(src[i]) ? signMask : 0xFF;
          if ((bulk[i] & mask) != (encoder.scalar().of(src[i]) & mask)) {
            fail(String.format("%s(0x%08X): bulk 0x%02X, scalar 0x%02X", encoder.name(),
                Float.floatToRawIntBits(src[i]), bulk[i] & 0xFF, encoder.scalar().of(src[i]) & 0xFF));
          }
        }
      }
      byte[] packed = new byte[(src.length + 1) / 2];
      Fp4E2M1Bulk.encodeDivided(src, 0, factor, packed, 0, src.length);
      for (int i = 0; i < src.length; i++) {
        assertEquals(Fp4E2M1.encode(src[i] / factor), nibble(packed, i),
            "E2M1 / " + factor + " element " + i);
      }
      Fp4E2M1Bulk.encodeMultiplied(src, 0, factor, packed, 0, src.length);
      for (int i = 0; i < src.length; i++) {
        assertEquals(Fp4E2M1.encode(src[i] * factor), nibble(packed, i),
            "E2M1 * " + factor + " element " + i);
      }
    }
  }

  // ---- range checks ---------------------------------------------------------------------------------------

  @Test
  void aRunOutsideItsArrayThrowsBeforeWritingAnything() {
    float[] floats = new float[40];
    byte[] bytes = sentinelBytes(40);
    short[] shorts = new short[40];
    assertThrows(IndexOutOfBoundsException.class, () -> Fp8E4M3Bulk.encode(floats, 10, bytes, 0, 31));
    assertThrows(IndexOutOfBoundsException.class,
        () -> Fp8E5M2Bulk.encodeDivided(floats, 0, 2f, bytes, 20, 21));
    assertThrows(IndexOutOfBoundsException.class,
        () -> Int8Bulk.encodeMultiplied(floats, -1, 2f, bytes, 0, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> E8M0Bulk.encode(floats, 0, bytes, 0, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> Bf16Bulk.encode(floats, 0, shorts, 1, 40));
    assertThrows(IndexOutOfBoundsException.class, () -> Fp16Bulk.encode(floats, 0, shorts, 0, 41));
    // 35 elements pack into 18 bytes: 23 + 18 > 40.
    assertThrows(IndexOutOfBoundsException.class, () -> Fp4E2M1Bulk.encode(floats, 0, bytes, 23, 35));
    assertArrayEquals(sentinelBytes(40), bytes, "nothing written");
    Fp4E2M1Bulk.encode(floats, 0, bytes, 22, 35);
    float[] out = sentinelFloats(40);
    assertThrows(IndexOutOfBoundsException.class, () -> Fp4E2M1Bulk.decode(new byte[17], 0, out, 0, 35));
    assertThrows(IndexOutOfBoundsException.class,
        () -> Fp8E4M3Bulk.decodeScaled(new byte[8], 0, 1f, out, 33, 8));
    assertThrows(IndexOutOfBoundsException.class, () -> Bf16Bulk.decode(new short[8], 1, out, 0, 8));
    assertSameFloats(sentinelFloats(40), out, true, "nothing written");
    assertThrows(IndexOutOfBoundsException.class, () -> AbsMax.of(floats, 39, 2));
  }

  // ---- AbsMax ---------------------------------------------------------------------------------------------

  @Test
  void absMaxIsTheLargestMagnitudeAtEveryOffsetAndLength() {
    float[] src = new float[MAX_LENGTH + 20];
    SplittableRandom random = new SplittableRandom(16);
    for (int i = 0; i < src.length; i++) {
      src[i] = (float) (random.nextDouble(-1, 1) * Math.pow(2, random.nextInt(-140, 120)));
    }
    for (int offset : OFFSETS) {
      for (int length = 0; offset + length <= src.length; length++) {
        float expected = 0.0f;
        for (int i = 0; i < length; i++) {
          expected = Math.max(expected, Math.abs(src[offset + i]));
        }
        assertEquals(
            Float.floatToRawIntBits(expected),
            Float.floatToRawIntBits(AbsMax.of(src, offset, length)),
            "at " + offset + " x" + length);
      }
    }
  }

  @Test
  void absMaxOfNothingIsZeroAndNegativeZeroGivesPositiveZero() {
    assertEquals(0, Float.floatToRawIntBits(AbsMax.of(new float[0], 0, 0)));
    assertEquals(0, Float.floatToRawIntBits(AbsMax.of(new float[] { 1f, 2f }, 1, 0)));
    float[] negativeZeros = new float[37];
    Arrays.fill(negativeZeros, -0.0f);
    assertEquals(0, Float.floatToRawIntBits(AbsMax.of(negativeZeros, 0, 37)));
    float[] tiny = new float[37];
    tiny[30] = -Float.MIN_VALUE;
    assertEquals(Float.MIN_VALUE, AbsMax.of(tiny, 0, 37));
  }

  @Test
  void absMaxIsNanForANanAnywhereAndInfinityForAnInfinity() {
    int[] nans = { 0x7FC00000, 0xFFC00000, 0x7F800001, 0xFFFFFFFF };
    for (int length : new int[] { 1, 15, 16, 17, 37, 64 }) {
      for (int at = 0; at < length; at++) {
        for (int nan : nans) {
          float[] src = new float[length];
          Arrays.fill(src, -5.0f);
          src[at] = Float.intBitsToFloat(nan);
          if (at > 0) {
            src[0] = Float.NEGATIVE_INFINITY;
          }
          assertTrue(Float.isNaN(AbsMax.of(src, 0, length)),
              "NaN 0x" + Integer.toHexString(nan) + " at " + at);
        }
        float[] src = new float[length];
        Arrays.fill(src, 1e38f);
        src[at] = Float.NEGATIVE_INFINITY;
        assertEquals(Float.POSITIVE_INFINITY, AbsMax.of(src, 0, length), "-Inf at " + at);
      }
    }
  }

  // ---- helpers --------------------------------------------------------------------------------------------

  private static List<ByteEncoder> byteEncoders(float factor) {
    List<ByteEncoder> encoders = new ArrayList<>();
    encoders.add(new ByteEncoder("E4M3", Fp8E4M3Bulk::encode, Fp8E4M3::encode));
    encoders.add(new ByteEncoder("E5M2", Fp8E5M2Bulk::encode, Fp8E5M2::encode));
    encoders.add(new ByteEncoder("INT8", Int8Bulk::encode, Int8::encode));
    encoders.add(new ByteEncoder("E8M0", E8M0Bulk::encode, E8M0::encode));
    encoders.add(new ByteEncoder("E4M3 / " + factor,
        (s, so, d, o, n) -> Fp8E4M3Bulk.encodeDivided(s, so, factor, d, o, n),
        x -> Fp8E4M3.encode(x / factor)));
    encoders.add(new ByteEncoder("E4M3 * " + factor,
        (s, so, d, o, n) -> Fp8E4M3Bulk.encodeMultiplied(s, so, factor, d, o, n),
        x -> Fp8E4M3.encode(x * factor)));
    encoders.add(new ByteEncoder("E5M2 / " + factor,
        (s, so, d, o, n) -> Fp8E5M2Bulk.encodeDivided(s, so, factor, d, o, n),
        x -> Fp8E5M2.encode(x / factor)));
    encoders.add(new ByteEncoder("E5M2 * " + factor,
        (s, so, d, o, n) -> Fp8E5M2Bulk.encodeMultiplied(s, so, factor, d, o, n),
        x -> Fp8E5M2.encode(x * factor)));
    encoders.add(new ByteEncoder("INT8 / " + factor,
        (s, so, d, o, n) -> Int8Bulk.encodeDivided(s, so, factor, d, o, n),
        x -> Int8.encode(x / factor)));
    encoders.add(new ByteEncoder("INT8 * " + factor,
        (s, so, d, o, n) -> Int8Bulk.encodeMultiplied(s, so, factor, d, o, n),
        x -> Int8.encode(x * factor)));
    return encoders;
  }

  /**
   * The byte decoders, plain and scaled; a scaled NaN is any NaN, as Java leaves a product's NaN bits open.
   */
  private static List<ByteDecoder> byteDecoders() {
    List<ByteDecoder> decoders = new ArrayList<>();
    decoders.add(new ByteDecoder("E4M3", Fp8E4M3Bulk::decode, c -> Fp8E4M3.decode((byte) c), true));
    decoders.add(new ByteDecoder("E5M2", Fp8E5M2Bulk::decode, c -> Fp8E5M2.decode((byte) c), true));
    decoders.add(new ByteDecoder("INT8", Int8Bulk::decode, c -> Int8.decode((byte) c), true));
    decoders.add(new ByteDecoder("E8M0", E8M0Bulk::decode, E8M0::decode, true));
    for (float scale : new float[] { 0.5f, -3.0f, 0.0f, -0.0f, 0x1p-140f, Float.MIN_VALUE, 1e38f,
        Float.POSITIVE_INFINITY, Float.NaN }) {
      decoders.add(new ByteDecoder("E4M3 x " + scale,
          (s, so, d, o, n) -> Fp8E4M3Bulk.decodeScaled(s, so, scale, d, o, n),
          c -> Fp8E4M3.decode((byte) c) * scale, false));
      decoders.add(new ByteDecoder("E5M2 x " + scale,
          (s, so, d, o, n) -> Fp8E5M2Bulk.decodeScaled(s, so, scale, d, o, n),
          c -> Fp8E5M2.decode((byte) c) * scale, false));
      decoders.add(new ByteDecoder("INT8 x " + scale,
          (s, so, d, o, n) -> Int8Bulk.decodeScaled(s, so, scale, d, o, n),
          c -> Int8.decode((byte) c) * scale, false));
    }
    return decoders;
  }

  /** Divisors and multipliers: every power of two, subnormals, zeros, infinities, NaNs and random values. */
  private static List<Float> factors(SplittableRandom random) {
    List<Float> factors = new ArrayList<>();
    for (int e = -149; e <= 127; e++) {
      factors.add(Math.scalb(1.0f, e));
    }
    for (float special : new float[] { 0.0f, -0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN,
        Float.intBitsToFloat(0xFFC00000), Float.intBitsToFloat(0x7F800001), Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MAX_VALUE, -1.0f, 1.0f / 448, 1.0f / 6, 3.0f, 0.1f }) {
      factors.add(special);
    }
    for (int i = 0; i < 40; i++) {
      factors
          .add(Float.intBitsToFloat(random.nextInt(1, 0x800000) | (random.nextBoolean() ? 0x80000000 : 0)));
      factors.add(Float.intBitsToFloat(random.nextInt()));
      factors.add((float) (random.nextDouble(0.5, 1) * Math.pow(2, random.nextInt(-30, 30))));
    }
    return factors;
  }

  /**
   * Floats that reach every path: random bit patterns, the formats' boundaries and ties, signed zeros,
   * subnormals, infinities, NaNs, and ordinary values of many sizes.
   */
  static float[] mixedFloats(SplittableRandom random, int length) {
    float[] specials = {
        0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 0x1p-9f, 0x1p-10f,
        0x3p-11f, 0x1p-6f, 0x1p-16f, 0x1p-17f, 0x1p-14f, 0.25f, 0.75f, 1.25f, 1.75f, 2.5f, 3.5f, 5.0f, 6.0f,
        -0.25f, -0.2f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 127.5f, 126.5f, -128.5f, -127.5f, 448.0f, 464.0f,
        480.0f,
        -448.0f, 57344.0f, 61440.0f, 61439.996f, -61440.0f, 65504.0f, 65520.0f, 1.0f + 0x1p-8f,
        1.0f + 0x3p-8f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0xFFC00000), Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFF800001),
        Float.intBitsToFloat(0x7FBFFFFF), 0x1p-127f, 0x1.8p-127f, 0x1.000002p-127f, 0x1.7fffffp-127f,
        // Ties next to an odd code, which go up: E4M3 normal and subnormal, E5M2, FP16.
        1.1875f, -1.1875f, 0x3p-10f, 0x5p-10f, 1.375f, 0x3p-17f, 1.0f + 0x3p-11f, 0x3p-25f };
    float[] floats = new float[length];
    for (int i = 0; i < length; i++) {
      floats[i] = switch (random.nextInt(4)) {
        case 0 -> specials[random.nextInt(specials.length)];
        case 1 -> Float.intBitsToFloat(random.nextInt());
        default -> (float) (random.nextGaussian() * Math.pow(2, random.nextInt(-20, 20)));
      };
    }
    return floats;
  }

  private static int nibble(byte[] packed, int i) {
    return i % 2 == 0 ? Fp4E2M1.low(packed[i / 2]) : Fp4E2M1.high(packed[i / 2]);
  }

  private static byte[] sentinelBytes(int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, BYTE_SENTINEL);
    return bytes;
  }

  private static float[] sentinelFloats(int length) {
    float[] floats = new float[length];
    Arrays.fill(floats, FLOAT_SENTINEL);
    return floats;
  }

  private static void assertSameFloats(float[] expected, float[] actual, boolean nanByBits, String where) {
    assertEquals(expected.length, actual.length, where);
    for (int i = 0; i < expected.length; i++) {
      assertSameFloat(expected[i], actual[i], nanByBits, where + " [" + i + "]");
    }
  }

  /** Equal bits; a NaN against any NaN unless the scalar result's NaN bits are defined. */
  private static void assertSameFloat(float expected, float actual, boolean nanByBits, String where) {
    if (!nanByBits && Float.isNaN(expected) && Float.isNaN(actual)) {
      return;
    }
    if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
      fail(
          String.format("%s: expected 0x%08X (%s), got 0x%08X (%s)", where, Float.floatToRawIntBits(expected),
              expected, Float.floatToRawIntBits(actual), actual));
    }
  }
}
