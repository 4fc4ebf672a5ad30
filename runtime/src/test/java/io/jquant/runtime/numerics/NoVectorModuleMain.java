package io.jquant.runtime.numerics;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs every public bulk codec and {@link AbsMax} on fixed inputs and prints each result as one line of hex.
 * {@link NoVectorModuleTest} starts it in a JVM without {@code jdk.incubator.vector}, where the codecs must
 * link and run their scalar definitions; it exits with status 2 if the module is there after all.
 */
public final class NoVectorModuleMain {
  /** Where every run starts in its source, and where the results start in their destination. */
  static final int SRC_OFFSET = 3;
  static final int DST_OFFSET = 2;
  static final float DIVISOR = 0.37f;
  static final float MULTIPLIER = 2.7f;
  static final float SCALE = 1.3f;
  /** The block size of the block calls: more than a vector of 16 lanes and no multiple of it, so both run. */
  static final int BLOCK = 18;
  /** The random finite floats at the start of {@link #floats()}; the specials follow. */
  static final int FINITE = 64;

  private static final HexFormat HEX = HexFormat.of();

  private NoVectorModuleMain() {}

  public static void main(String[] args) {
    if (VectorSupport.available()) {
      System.err.println(VectorSupport.MODULE + " is in this JVM: the scalar fallback is not what runs");
      System.exit(2);
    }
    for (String line : run()) {
      System.out.println(line);
    }
  }

  /** The bulk codecs' and AbsMax's results, one line per call. */
  static List<String> run() {
    float[] x = floats();
    byte[] codes = bytes();
    short[] halves = shorts();
    int n = x.length - SRC_OFFSET;
    int m = codes.length - SRC_OFFSET;
    int h = halves.length - SRC_OFFSET;
    List<String> lines = new ArrayList<>();
    lines.add("AbsMax.of " + absMaxes(x));

    byte[] b = new byte[DST_OFFSET + n];
    Fp8E4M3Bulk.encode(x, SRC_OFFSET, b, DST_OFFSET, n);
    lines.add("Fp8E4M3Bulk.encode " + hex(b));
    b = new byte[DST_OFFSET + n];
    Fp8E4M3Bulk.encodeDivided(x, SRC_OFFSET, DIVISOR, b, DST_OFFSET, n);
    lines.add("Fp8E4M3Bulk.encodeDivided " + hex(b));
    b = new byte[DST_OFFSET + n];
    Fp8E4M3Bulk.encodeMultiplied(x, SRC_OFFSET, MULTIPLIER, b, DST_OFFSET, n);
    lines.add("Fp8E4M3Bulk.encodeMultiplied " + hex(b));
    float[] f = new float[DST_OFFSET + m];
    Fp8E4M3Bulk.decode(codes, SRC_OFFSET, f, DST_OFFSET, m);
    lines.add("Fp8E4M3Bulk.decode " + hex(f));
    f = new float[DST_OFFSET + m];
    Fp8E4M3Bulk.decodeScaled(codes, SRC_OFFSET, SCALE, f, DST_OFFSET, m);
    lines.add("Fp8E4M3Bulk.decodeScaled " + hex(f));

    b = new byte[DST_OFFSET + n];
    Fp8E5M2Bulk.encode(x, SRC_OFFSET, b, DST_OFFSET, n);
    lines.add("Fp8E5M2Bulk.encode " + hex(b));
    b = new byte[DST_OFFSET + n];
    Fp8E5M2Bulk.encodeDivided(x, SRC_OFFSET, DIVISOR, b, DST_OFFSET, n);
    lines.add("Fp8E5M2Bulk.encodeDivided " + hex(b));
    b = new byte[DST_OFFSET + n];
    Fp8E5M2Bulk.encodeMultiplied(x, SRC_OFFSET, MULTIPLIER, b, DST_OFFSET, n);
    lines.add("Fp8E5M2Bulk.encodeMultiplied " + hex(b));
    f = new float[DST_OFFSET + m];
    Fp8E5M2Bulk.decode(codes, SRC_OFFSET, f, DST_OFFSET, m);
    lines.add("Fp8E5M2Bulk.decode " + hex(f));
    f = new float[DST_OFFSET + m];
    Fp8E5M2Bulk.decodeScaled(codes, SRC_OFFSET, SCALE, f, DST_OFFSET, m);
    lines.add("Fp8E5M2Bulk.decodeScaled " + hex(f));

    b = new byte[DST_OFFSET + n];
    Int8Bulk.encode(x, SRC_OFFSET, b, DST_OFFSET, n);
    lines.add("Int8Bulk.encode " + hex(b));
    b = new byte[DST_OFFSET + n];
    Int8Bulk.encodeDivided(x, SRC_OFFSET, DIVISOR, b, DST_OFFSET, n);
    lines.add("Int8Bulk.encodeDivided " + hex(b));
    b = new byte[DST_OFFSET + n];
    Int8Bulk.encodeMultiplied(x, SRC_OFFSET, MULTIPLIER, b, DST_OFFSET, n);
    lines.add("Int8Bulk.encodeMultiplied " + hex(b));
    f = new float[DST_OFFSET + m];
    Int8Bulk.decode(codes, SRC_OFFSET, f, DST_OFFSET, m);
    lines.add("Int8Bulk.decode " + hex(f));
    f = new float[DST_OFFSET + m];
    Int8Bulk.decodeScaled(codes, SRC_OFFSET, SCALE, f, DST_OFFSET, m);
    lines.add("Int8Bulk.decodeScaled " + hex(f));

    // FP4 runs of an odd length, so the last byte's high nibble is the padding one.
    int odd = n - 1 + n % 2;
    b = new byte[DST_OFFSET + (odd + 1) / 2];
    Fp4E2M1Bulk.encode(x, SRC_OFFSET, b, DST_OFFSET, odd);
    lines.add("Fp4E2M1Bulk.encode " + hex(b));
    b = new byte[DST_OFFSET + (odd + 1) / 2];
    Fp4E2M1Bulk.encodeDivided(x, SRC_OFFSET, DIVISOR, b, DST_OFFSET, odd);
    lines.add("Fp4E2M1Bulk.encodeDivided " + hex(b));
    b = new byte[DST_OFFSET + (odd + 1) / 2];
    Fp4E2M1Bulk.encodeMultiplied(x, SRC_OFFSET, MULTIPLIER, b, DST_OFFSET, odd);
    lines.add("Fp4E2M1Bulk.encodeMultiplied " + hex(b));
    f = new float[DST_OFFSET + 2 * m - 1];
    Fp4E2M1Bulk.decode(codes, SRC_OFFSET, f, DST_OFFSET, 2 * m - 1);
    lines.add("Fp4E2M1Bulk.decode " + hex(f));
    f = new float[DST_OFFSET + 2 * m - 1];
    Fp4E2M1Bulk.decodeScaled(codes, SRC_OFFSET, SCALE, f, DST_OFFSET, 2 * m - 1);
    lines.add("Fp4E2M1Bulk.decodeScaled " + hex(f));

    b = new byte[DST_OFFSET + n];
    E8M0Bulk.encode(x, SRC_OFFSET, b, DST_OFFSET, n);
    lines.add("E8M0Bulk.encode " + hex(b));
    f = new float[DST_OFFSET + m];
    E8M0Bulk.decode(codes, SRC_OFFSET, f, DST_OFFSET, m);
    lines.add("E8M0Bulk.decode " + hex(f));

    short[] s = new short[DST_OFFSET + n];
    Bf16Bulk.encode(x, SRC_OFFSET, s, DST_OFFSET, n);
    lines.add("Bf16Bulk.encode " + hex(s));
    f = new float[DST_OFFSET + h];
    Bf16Bulk.decode(halves, SRC_OFFSET, f, DST_OFFSET, h);
    lines.add("Bf16Bulk.decode " + hex(f));

    s = new short[DST_OFFSET + n];
    Fp16Bulk.encode(x, SRC_OFFSET, s, DST_OFFSET, n);
    lines.add("Fp16Bulk.encode " + hex(s));
    f = new float[DST_OFFSET + h];
    Fp16Bulk.decode(halves, SRC_OFFSET, f, DST_OFFSET, h);
    lines.add("Fp16Bulk.decode " + hex(f));

    // The row-of-blocks calls, each with a short last block.
    float[] k = factors(Math.ceilDiv(2 * m, BLOCK));
    f = new float[DST_OFFSET + Math.ceilDiv(n, BLOCK)];
    AbsMax.ofBlocks(x, SRC_OFFSET, n, BLOCK, f, DST_OFFSET);
    lines.add("AbsMax.ofBlocks " + hex(f));
    b = new byte[DST_OFFSET + n];
    Fp8E4M3Bulk.encodeBlocksDivided(x, SRC_OFFSET, n, BLOCK, k, 1, b, DST_OFFSET);
    lines.add("Fp8E4M3Bulk.encodeBlocksDivided " + hex(b));
    b = new byte[DST_OFFSET + n];
    Fp8E4M3Bulk.encodeBlocksMultiplied(x, SRC_OFFSET, n, BLOCK, k, 1, b, DST_OFFSET);
    lines.add("Fp8E4M3Bulk.encodeBlocksMultiplied " + hex(b));
    f = new float[DST_OFFSET + m];
    Fp8E4M3Bulk.decodeBlocksScaled(codes, SRC_OFFSET, m, BLOCK, k, 1, f, DST_OFFSET);
    lines.add("Fp8E4M3Bulk.decodeBlocksScaled " + hex(f));
    b = new byte[DST_OFFSET + (odd + 1) / 2];
    Fp4E2M1Bulk.encodeBlocksDivided(x, SRC_OFFSET, odd, BLOCK, k, 1, b, DST_OFFSET);
    lines.add("Fp4E2M1Bulk.encodeBlocksDivided " + hex(b));
    b = new byte[DST_OFFSET + (odd + 1) / 2];
    Fp4E2M1Bulk.encodeBlocksMultiplied(x, SRC_OFFSET, odd, BLOCK, k, 1, b, DST_OFFSET);
    lines.add("Fp4E2M1Bulk.encodeBlocksMultiplied " + hex(b));
    f = new float[DST_OFFSET + 2 * m - 1];
    Fp4E2M1Bulk.decodeBlocksScaled(codes, SRC_OFFSET, 2 * m - 1, BLOCK, k, 1, f, DST_OFFSET);
    lines.add("Fp4E2M1Bulk.decodeBlocksScaled " + hex(f));
    return lines;
  }

  /**
   * One factor per block from index 1 on, cycling through ordinary, negative, tiny, zero and infinite ones;
   * no NaN, as NaN times a NaN element has a sign Java leaves open.
   */
  static float[] factors(int blocks) {
    float[] cycle = { DIVISOR, MULTIPLIER, SCALE, -0.5f, 0x1p-130f, 0.0f, 1e30f, Float.POSITIVE_INFINITY,
        3.0f };
    float[] k = new float[1 + blocks];
    for (int b = 0; b < blocks; b++) {
      k[1 + b] = cycle[b % cycle.length];
    }
    return k;
  }

  /** AbsMax of: an empty run, a finite run, one reaching the infinities, and the whole run with its NaNs. */
  private static String absMaxes(float[] x) {
    int[][] runs = absMaxRuns(x.length);
    float[] maxes = new float[runs.length];
    for (int k = 0; k < runs.length; k++) {
      maxes[k] = oneNan(AbsMax.of(x, runs[k][0], runs[k][1]));
    }
    return hex(maxes);
  }

  /**
   * Every NaN as {@link Float#NaN}: AbsMax promises a NaN for a run holding one, not which NaN (its Math.max
   * returns its NaN operand when interpreted and a NaN of its own once C2 compiles it).
   */
  static float oneNan(float amax) {
    return Float.isNaN(amax) ? Float.NaN : amax;
  }

  /** The (offset, length) runs {@link #absMaxes} takes. */
  static int[][] absMaxRuns(int length) {
    return new int[][] { { 5, 0 }, { 1, FINITE - 1 }, { 0, FINITE + 2 },
        { SRC_OFFSET, length - SRC_OFFSET } };
  }

  /**
   * {@link #FINITE} random floats of all magnitudes, then the infinities, the codecs' rounding and saturation
   * edges, and NaNs with several payloads last.
   */
  static float[] floats() {
    float[] specials = {
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, 0x1p-127f, 0x1.8p-127f, 0x1p-9f, 0x1.8p-10f, -0x1p-10f, 0x1p-16f, 0x1.8p-17f,
        0.25f, 0.75f, -1.25f, 1.75f, 2.5f, -3.5f, 5.0f, 6.0f, 448.0f, 464.0f, -480.0f, 57344.0f,
        Math.nextDown(61440.0f), 61440.0f, 65504.0f, 65520.0f, 126.5f, 127.5f, -128.5f, -129.0f,
        1.0f + Math.ulp(1.0f), Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.NaN, Float.intBitsToFloat(0xFFC00001), Float.intBitsToFloat(0x7F800001),
    };
    float[] x = new float[FINITE + specials.length];
    SplittableRandom random = new SplittableRandom(20261128);
    for (int k = 0; k < FINITE; k++) {
      x[k] = k % 2 == 0
          ? (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-4, 5)))
          : Float.intBitsToFloat(random.nextInt() & 0xF77FFFFF); // a cleared exponent bit: finite
    }
    System.arraycopy(specials, 0, x, FINITE, specials.length);
    return x;
  }

  /** Every byte once from {@link #SRC_OFFSET} on, then a few more. */
  static byte[] bytes() {
    byte[] codes = new byte[SRC_OFFSET + 256 + 5];
    for (int k = 0; k < codes.length; k++) {
      codes[k] = (byte) (k - SRC_OFFSET);
    }
    return codes;
  }

  /** Every short once from {@link #SRC_OFFSET} on, then a few more. */
  static short[] shorts() {
    short[] halves = new short[SRC_OFFSET + 65536 + 5];
    for (int k = 0; k < halves.length; k++) {
      halves[k] = (short) (k - SRC_OFFSET);
    }
    return halves;
  }

  static String hex(byte[] values) {
    StringBuilder text = new StringBuilder();
    for (byte v : values) {
      text.append(HEX.toHexDigits(v));
    }
    return text.toString();
  }

  static String hex(short[] values) {
    StringBuilder text = new StringBuilder();
    for (short v : values) {
      text.append(HEX.toHexDigits(v));
    }
    return text.toString();
  }

  /** The floats' raw bits, so NaN payloads and signed zeros count. */
  static String hex(float[] values) {
    StringBuilder text = new StringBuilder();
    for (float v : values) {
      text.append(HEX.toHexDigits(Float.floatToRawIntBits(v)));
    }
    return text.toString();
  }
}
