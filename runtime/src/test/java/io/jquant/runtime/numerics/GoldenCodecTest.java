package io.jquant.runtime.numerics;

import static io.jquant.runtime.golden.GoldenFile.describe;
import static io.jquant.runtime.golden.GoldenFile.floatBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.golden.GoldenFile;
import io.jquant.runtime.golden.GoldenFile.Mismatches;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * The element codecs, scalar and bulk, against golden vectors from torch 2.13 and ml_dtypes 0.6 (made by
 * {@code src/test/python/make_golden_vectors.py}): every code value, its neighbours, every tie, the values
 * past each maximum, subnormals, specials and tens of thousands of random inputs per codec. Where jquant's
 * documented choice differs from a reference, the test says so and checks that the difference is exactly that
 * one.
 */
class GoldenCodecTest {
  /** Bulk runs start inside larger arrays, so offsets are exercised and writes outside the run are caught. */
  private static final int SRC_OFFSET = 3;
  private static final int DST_OFFSET = 5;
  private static final byte GUARD = 0x5A;

  /** The inputs and expected codes of one codec file; column 1 is the first reference's output. */
  private record Vectors(float[] inputs, int[] expected, int[] second) {
    static Vectors read(String file) {
      List<String[]> rows = GoldenFile.rows(file);
      float[] inputs = new float[rows.size()];
      int[] expected = new int[rows.size()];
      int[] second = new int[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        String[] row = rows.get(i);
        inputs[i] = floatBits(row[0]);
        expected[i] = Integer.parseInt(row[1], 16);
        second[i] = row.length > 2 ? Integer.parseInt(row[2], 16) : -1;
      }
      assertTrue(inputs.length > 15_000, file + " holds only " + inputs.length + " vectors");
      return new Vectors(inputs, expected, second);
    }

    int size() {
      return inputs.length;
    }
  }

  // ---------------------------------------------------------------------------------------------- encoders

  @Test
  void e4m3EncodeEqualsTorch() {
    Vectors v = Vectors.read("codec_e4m3.txt.gz");
    int[] scalar = map(v.inputs(), x -> Fp8E4M3.encode(x) & 0xFF);
    assertSame("Fp8E4M3.encode vs torch .to(float8_e4m3fn)", v.inputs(), v.expected(), scalar, 2);
    byte[] bulk = bulkBytes(v.inputs(), (src, so, dst, d, n) -> Fp8E4M3Bulk.encode(src, so, dst, d, n));
    assertSame("Fp8E4M3Bulk.encode vs torch", v.inputs(), v.expected(), unsigned(bulk), 2);
  }

  @Test
  void e5m2EncodeEqualsTorch() {
    Vectors v = Vectors.read("codec_e5m2.txt.gz");
    int[] scalar = map(v.inputs(), x -> Fp8E5M2.encode(x) & 0xFF);
    assertSame("Fp8E5M2.encode vs torch .to(float8_e5m2)", v.inputs(), v.expected(), scalar, 2);
    byte[] bulk = bulkBytes(v.inputs(), (src, so, dst, d, n) -> Fp8E5M2Bulk.encode(src, so, dst, d, n));
    assertSame("Fp8E5M2Bulk.encode vs torch", v.inputs(), v.expected(), unsigned(bulk), 2);
  }

  /** jquant's E8M0 cast is torch's for non-negative inputs and -0, and ml_dtypes' (NaN) for negative ones. */
  @Test
  void e8m0EncodeEqualsTorchAndMlDtypesForNegatives() {
    Vectors v = Vectors.read("codec_e8m0.txt.gz");
    int[] expected = new int[v.size()];
    for (int i = 0; i < v.size(); i++) {
      expected[i] = isNegativeNonZero(v.inputs()[i]) ? v.second()[i] : v.expected()[i];
    }
    int[] scalar = map(v.inputs(), E8M0::encode);
    assertSame("E8M0.encode vs torch (ml_dtypes for negatives)", v.inputs(), expected, scalar, 2);
    byte[] bulk = bulkBytes(v.inputs(), (src, so, dst, d, n) -> E8M0Bulk.encode(src, so, dst, d, n));
    assertSame("E8M0Bulk.encode vs torch (ml_dtypes for negatives)", v.inputs(), expected, unsigned(bulk), 2);
  }

  /**
   * torch and ml_dtypes differ on E8M0 in two places only, and jquant picks a side in each: zero (torch 0x00,
   * ml_dtypes 0xFF; jquant 0x00) and negative non-zero values (torch ignores the sign, ml_dtypes gives NaN;
   * jquant NaN). Anything else would mean the file or a reference changed.
   */
  @Test
  void e8m0ReferencesDifferOnlyOnZeroAndNegatives() {
    Vectors v = Vectors.read("codec_e8m0.txt.gz");
    int zeros = 0;
    int negatives = 0;
    for (int i = 0; i < v.size(); i++) {
      float x = v.inputs()[i];
      int torch = v.expected()[i];
      int ml = v.second()[i];
      if (torch == ml) {
        continue;
      }
      if (x == 0.0f) {
        assertEquals(0x00, torch, describe(x));
        assertEquals(0xFF, ml, describe(x));
        zeros++;
      } else {
        assertTrue(isNegativeNonZero(x), () -> "torch and ml_dtypes differ on " + describe(x));
        assertEquals(0xFF, ml, describe(x));
        negatives++;
      }
    }
    assertEquals(2, zeros, "+0 and -0");
    assertTrue(negatives > 1000, "negative inputs on which torch ignores the sign: " + negatives);
  }

  /**
   * jquant's E2M1 is ml_dtypes' except -0 (0x0, not 0x8) and NaN (0x7, where ml_dtypes gives 0x8 for +NaN and
   * 0x0 for -NaN): docs/FORMATS.md's choices.
   */
  @Test
  void e2m1EncodeEqualsMlDtypesExceptMinusZeroAndNaN() {
    Vectors v = Vectors.read("codec_e2m1.txt.gz");
    int[] expected = v.expected().clone();
    int minusZero = 0;
    int nan = 0;
    for (int i = 0; i < v.size(); i++) {
      float x = v.inputs()[i];
      if (Float.isNaN(x)) {
        // ml_dtypes turns NaN into a zero with the sign flipped: 0x8 for +NaN, 0x0 for -NaN.
        int mlNaN = Float.floatToRawIntBits(x) < 0 ? 0x0 : 0x8;
        assertEquals(mlNaN, expected[i], "ml_dtypes' code for NaN " + describe(x));
        expected[i] = 0x7; // like modelopt's _cast_fp4 and MAX's software cast
        nan++;
      } else if (Float.floatToRawIntBits(x) == 0x80000000) {
        assertEquals(0x8, expected[i], "ml_dtypes' code for -0");
        expected[i] = 0x0; // sign bit = (x < 0), modelopt's rule
        minusZero++;
      }
    }
    assertEquals(1, minusZero);
    assertTrue(nan >= 6, "NaN inputs: " + nan);
    int[] scalar = map(v.inputs(), Fp4E2M1::encode);
    assertSame("Fp4E2M1.encode vs ml_dtypes float4_e2m1fn", v.inputs(), expected, scalar, 1);

    // Packed bulk run, starting on a byte inside a larger array; an odd length leaves the last high nibble 0.
    int n = v.size() | 1;
    float[] src = new float[SRC_OFFSET + n];
    System.arraycopy(v.inputs(), 0, src, SRC_OFFSET, Math.min(n, v.size()));
    byte[] packed = new byte[DST_OFFSET + (n + 1) / 2 + 2];
    Arrays.fill(packed, GUARD);
    Fp4E2M1Bulk.encode(src, SRC_OFFSET, packed, DST_OFFSET, n);
    int[] bulk = new int[v.size()];
    for (int i = 0; i < v.size(); i++) {
      byte pair = packed[DST_OFFSET + i / 2];
      bulk[i] = i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair);
    }
    assertSame("Fp4E2M1Bulk.encode vs ml_dtypes", v.inputs(), expected, bulk, 1);
    assertGuards(packed, DST_OFFSET, (n + 1) / 2, "Fp4E2M1Bulk.encode");
    assertEquals(0, Fp4E2M1.high(packed[DST_OFFSET + n / 2]), "the high nibble after an odd length");
  }

  @Test
  void int8EncodeEqualsTorchRoundAndClamp() {
    Vectors v = Vectors.read("codec_int8.txt.gz");
    int[] scalar = map(v.inputs(), x -> Int8.encode(x) & 0xFF);
    assertSame("Int8.encode vs torch.round + clamp", v.inputs(), v.expected(), scalar, 2);
    byte[] bulk = bulkBytes(v.inputs(), (src, so, dst, d, n) -> Int8Bulk.encode(src, so, dst, d, n));
    assertSame("Int8Bulk.encode vs torch.round + clamp", v.inputs(), v.expected(), unsigned(bulk), 2);
  }

  /** BF16 bits equal torch's; for NaN inputs only NaN-ness is compared (torch's CPU NaN bits are 0xFFFF). */
  @Test
  void bf16EncodeEqualsTorch() {
    Vectors v = Vectors.read("codec_bf16.txt.gz");
    int[] scalar = map(v.inputs(), x -> Bf16.encode(x) & 0xFFFF);
    assertSame16("Bf16.encode vs torch .to(bfloat16)", v, scalar, GoldenCodecTest::isBf16NaN);
    short[] bulk = new short[DST_OFFSET + v.size() + 2];
    Bf16Bulk.encode(shifted(v.inputs()), SRC_OFFSET, bulk, DST_OFFSET, v.size());
    int[] run = unsigned(bulk, DST_OFFSET, v.size());
    assertSame16("Bf16Bulk.encode vs torch", v, run, GoldenCodecTest::isBf16NaN);
  }

  /** FP16 bits equal torch's (NaN: NaN-ness only), and so do the JDK's {@link Float#floatToFloat16}. */
  @Test
  void fp16EncodeEqualsTorchAndTheJdk() {
    Vectors v = Vectors.read("codec_fp16.txt.gz");
    int[] scalar = map(v.inputs(), x -> Fp16.encode(x) & 0xFFFF);
    assertSame16("Fp16.encode vs torch .to(float16)", v, scalar, GoldenCodecTest::isFp16NaN);
    int[] jdk = map(v.inputs(), x -> Float.floatToFloat16(x) & 0xFFFF);
    assertSame16("Float.floatToFloat16 vs torch .to(float16)", v, jdk, GoldenCodecTest::isFp16NaN);
    short[] bulk = new short[DST_OFFSET + v.size() + 2];
    Fp16Bulk.encode(shifted(v.inputs()), SRC_OFFSET, bulk, DST_OFFSET, v.size());
    int[] run = unsigned(bulk, DST_OFFSET, v.size());
    assertSame16("Fp16Bulk.encode vs torch", v, run, GoldenCodecTest::isFp16NaN);
  }

  // ---------------------------------------------------------------------------------------------- decoders

  @Test
  void e4m3DecodeEqualsTorchForEveryCode() {
    float[] expected = decodeTable("decode_e4m3.txt", 256);
    assertDecodes("Fp8E4M3.decode", expected, c -> Fp8E4M3.decode((byte) c));
    float[] bulk = new float[256];
    Fp8E4M3Bulk.decode(allBytes(), 0, bulk, 0, 256);
    assertDecodes("Fp8E4M3Bulk.decode", expected, c -> bulk[c]);
    assertEquals(2, countNaN(expected), "E4M3 NaN codes: 0x7F and 0xFF");
  }

  @Test
  void e5m2DecodeEqualsTorchForEveryCode() {
    float[] expected = decodeTable("decode_e5m2.txt", 256);
    assertDecodes("Fp8E5M2.decode", expected, c -> Fp8E5M2.decode((byte) c));
    float[] bulk = new float[256];
    Fp8E5M2Bulk.decode(allBytes(), 0, bulk, 0, 256);
    assertDecodes("Fp8E5M2Bulk.decode", expected, c -> bulk[c]);
    assertEquals(6, countNaN(expected), "E5M2 NaN codes: 0x7D..0x7F and 0xFD..0xFF");
  }

  @Test
  void e8m0DecodeEqualsTorchForEveryByte() {
    float[] expected = decodeTable("decode_e8m0.txt", 256);
    assertDecodes("E8M0.decode", expected, E8M0::decode);
    float[] bulk = new float[256];
    E8M0Bulk.decode(allBytes(), 0, bulk, 0, 256);
    assertDecodes("E8M0Bulk.decode", expected, c -> bulk[c]);
    assertEquals(0x00400000, Float.floatToRawIntBits(expected[0]), "byte 0 is the float32 subnormal 2^-127");
  }

  @Test
  void e2m1DecodeEqualsMlDtypesForEveryCode() {
    float[] expected = decodeTable("decode_e2m1.txt", 16);
    assertDecodes("Fp4E2M1.decode", expected, Fp4E2M1::decode);
    byte[] packed = new byte[8];
    for (int j = 0; j < 8; j++) {
      packed[j] = Fp4E2M1.pack(2 * j, 2 * j + 1);
    }
    float[] bulk = new float[16];
    Fp4E2M1Bulk.decode(packed, 0, bulk, 0, 16);
    assertDecodes("Fp4E2M1Bulk.decode", expected, c -> bulk[c]);
  }

  @Test
  void bf16DecodeEqualsTorchForAll65536Codes() {
    float[] expected = decodeTable("decode_bf16.txt.gz", 65536);
    assertDecodes("Bf16.decode", expected, c -> Bf16.decode((short) c));
    float[] bulk = new float[65536];
    Bf16Bulk.decode(allShorts(), 0, bulk, 0, 65536);
    assertDecodes("Bf16Bulk.decode", expected, c -> bulk[c]);
  }

  @Test
  void fp16DecodeEqualsTorchForAll65536Codes() {
    float[] expected = decodeTable("decode_fp16.txt.gz", 65536);
    assertDecodes("Fp16.decode", expected, c -> Fp16.decode((short) c));
    float[] bulk = new float[65536];
    Fp16Bulk.decode(allShorts(), 0, bulk, 0, 65536);
    assertDecodes("Fp16Bulk.decode", expected, c -> bulk[c]);
  }

  // ----------------------------------------------------------------------------------------------- helpers

  private interface ByteBulk {
    void run(float[] src, int srcOffset, byte[] dst, int dstOffset, int length);
  }

  private interface CodeDecoder {
    float decode(int code);
  }

  private static boolean isNegativeNonZero(float x) {
    return Float.floatToRawIntBits(x) < 0 && x != 0.0f && !Float.isNaN(x);
  }

  private static boolean isBf16NaN(int bits) {
    return (bits & 0x7F80) == 0x7F80 && (bits & 0x7F) != 0;
  }

  private static boolean isFp16NaN(int bits) {
    return (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0;
  }

  private static int[] map(float[] x, FloatToInt f) {
    int[] out = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = f.apply(x[i]);
    }
    return out;
  }

  private interface FloatToInt {
    int apply(float x);
  }

  private static float[] shifted(float[] x) {
    float[] src = new float[SRC_OFFSET + x.length + 2];
    System.arraycopy(x, 0, src, SRC_OFFSET, x.length);
    return src;
  }

  /** Runs a byte-producing bulk encoder inside larger arrays; checks the guard bytes and returns the run. */
  private static byte[] bulkBytes(float[] x, ByteBulk bulk) {
    byte[] dst = new byte[DST_OFFSET + x.length + 4];
    Arrays.fill(dst, GUARD);
    bulk.run(shifted(x), SRC_OFFSET, dst, DST_OFFSET, x.length);
    assertGuards(dst, DST_OFFSET, x.length, "bulk encode");
    return Arrays.copyOfRange(dst, DST_OFFSET, DST_OFFSET + x.length);
  }

  private static void assertGuards(byte[] dst, int offset, int length, String what) {
    for (int i = 0; i < dst.length; i++) {
      if (i < offset || i >= offset + length) {
        assertEquals(GUARD, dst[i], what + " wrote outside its run at index " + i);
      }
    }
  }

  private static int[] unsigned(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return out;
  }

  private static int[] unsigned(short[] shorts, int offset, int length) {
    int[] out = new int[length];
    for (int i = 0; i < length; i++) {
      out[i] = shorts[offset + i] & 0xFFFF;
    }
    return out;
  }

  private static void assertSame(String what, float[] x, int[] expected, int[] actual, int digits) {
    Mismatches m = new Mismatches(what);
    String format = "%s: expected 0x%0" + digits + "x, jquant gives 0x%0" + digits + "x";
    for (int i = 0; i < x.length; i++) {
      int k = i;
      m.check(expected[i] == actual[i], () -> String.format(format, describe(x[k]), expected[k], actual[k]));
    }
    m.assertNone();
  }

  /** 16-bit codes: equal bits, except that a NaN input only needs a NaN output (torch's NaN bits vary). */
  private static void assertSame16(String what, Vectors v, int[] actual, IntPredicate isNaN) {
    Mismatches m = new Mismatches(what);
    int nanInputs = 0;
    for (int i = 0; i < v.size(); i++) {
      int k = i;
      float x = v.inputs()[i];
      boolean ok;
      if (Float.isNaN(x)) {
        nanInputs++;
        ok = isNaN.test(v.expected()[i]) && isNaN.test(actual[i]);
      } else {
        ok = v.expected()[i] == actual[i];
      }
      m.check(ok, () -> String.format("%s: torch 0x%04x, jquant gives 0x%04x", describe(x), v.expected()[k],
          actual[k]));
    }
    m.assertNone();
    assertTrue(nanInputs >= 6, what + ": NaN inputs " + nanInputs);
  }

  /** The decoded float32 of each code; a line holds a first code and the values of it and the next ones. */
  private static float[] decodeTable(String file, int codes) {
    float[] table = new float[codes];
    int filled = 0;
    for (String[] row : GoldenFile.rows(file)) {
      int first = Integer.parseInt(row[0], 16);
      for (int j = 1; j < row.length; j++) {
        table[first + j - 1] = floatBits(row[j]);
        filled++;
      }
    }
    assertEquals(codes, filled, file + " covers every code once");
    return table;
  }

  /** Equal bits (so -0 and +0 differ), except that a NaN code only needs a NaN result. */
  private static void assertDecodes(String what, float[] expected, CodeDecoder decoder) {
    Mismatches m = new Mismatches(what);
    for (int c = 0; c < expected.length; c++) {
      int code = c;
      float got = decoder.decode(c);
      boolean ok = Float.isNaN(expected[c])
          ? Float.isNaN(got)
          : Float.floatToRawIntBits(expected[c]) == Float.floatToRawIntBits(got);
      m.check(ok, () -> String.format("code 0x%x: reference %s, jquant %s", code, describe(expected[code]),
          describe(got)));
    }
    m.assertNone();
  }

  private static int countNaN(float[] values) {
    int n = 0;
    for (float v : values) {
      n += Float.isNaN(v) ? 1 : 0;
    }
    return n;
  }

  private static byte[] allBytes() {
    byte[] codes = new byte[256];
    for (int c = 0; c < 256; c++) {
      codes[c] = (byte) c;
    }
    return codes;
  }

  private static short[] allShorts() {
    short[] codes = new short[65536];
    for (int c = 0; c < 65536; c++) {
      codes[c] = (short) c;
    }
    return codes;
  }
}
