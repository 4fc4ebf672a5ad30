package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.NoVectorModuleMain.BLOCK;
import static io.jquant.runtime.numerics.NoVectorModuleMain.DIVISOR;
import static io.jquant.runtime.numerics.NoVectorModuleMain.DST_OFFSET;
import static io.jquant.runtime.numerics.NoVectorModuleMain.MULTIPLIER;
import static io.jquant.runtime.numerics.NoVectorModuleMain.SCALE;
import static io.jquant.runtime.numerics.NoVectorModuleMain.SRC_OFFSET;
import static io.jquant.runtime.numerics.NoVectorModuleMain.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jquant.runtime.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime without the Vector API: {@link NoVectorModuleMain} in a child JVM started without
 * {@code --add-modules jdk.incubator.vector} links every public codec, gets the results of their scalar
 * definitions bit for bit, and is told once on stderr what to add. This JVM has the module, so the same main
 * run here takes the lane loops and must print the same.
 */
class NoVectorModuleTest {
  private static final String WARNING = "jquant runs its codecs without the Java Vector API, several times"
      + " slower: start java with"
      + " --add-modules jdk.incubator.vector";

  private interface FloatToByte {
    byte of(float x);
  }

  private interface ByteToFloat {
    float of(byte code);
  }

  @Test
  void withoutTheModuleTheCodecsRunTheirScalarDefinitionsAndWarnOnce(@TempDir Path dir) throws Exception {
    assertTrue(VectorSupport.available(), "the tests run with --add-modules jdk.incubator.vector");
    List<String> expected = scalarDefinitions();
    assertSameLines(expected, NoVectorModuleMain.run(), "in this JVM, on the lane loops");

    ChildJvm.Output child = ChildJvm.runWithoutVectorModule(NoVectorModuleMain.class, dir);
    String stderr = child.stderr();
    assertSameLines(expected, child.stdout(), "in the child JVM without the module");
    assertEquals(1, stderr.split(WARNING, -1).length - 1, "one warning, in the child's stderr:\n" + stderr);
  }

  /** What {@link NoVectorModuleMain#run()} must print, from the scalar codecs element by element. */
  private static List<String> scalarDefinitions() {
    float[] x = NoVectorModuleMain.floats();
    byte[] codes = NoVectorModuleMain.bytes();
    short[] halves = NoVectorModuleMain.shorts();
    int n = x.length - SRC_OFFSET;
    int m = codes.length - SRC_OFFSET;
    int h = halves.length - SRC_OFFSET;
    List<String> lines = new ArrayList<>();
    int[][] runs = NoVectorModuleMain.absMaxRuns(x.length);
    float[] maxes = new float[runs.length];
    for (int k = 0; k < runs.length; k++) {
      // AbsMax's definition: the largest magnitude, a NaN (any) if the run holds one.
      float max = 0.0f;
      for (int i = runs[k][0]; i < runs[k][0] + runs[k][1]; i++) {
        max = Math.max(max, Math.abs(x[i]));
      }
      maxes[k] = NoVectorModuleMain.oneNan(max);
    }
    lines.add("AbsMax.of " + hex(maxes));
    addFp8(lines, "Fp8E4M3Bulk", Fp8E4M3::encode, Fp8E4M3::decode, x, n, codes, m);
    addFp8(lines, "Fp8E5M2Bulk", Fp8E5M2::encode, Fp8E5M2::decode, x, n, codes, m);
    addFp8(lines, "Int8Bulk", Int8::encode, Int8::decode, x, n, codes, m);

    int odd = n - 1 + n % 2;
    lines.add("Fp4E2M1Bulk.encode " + hex(packed(x, 1.0f, false, odd)));
    lines.add("Fp4E2M1Bulk.encodeDivided " + hex(packed(x, DIVISOR, true, odd)));
    lines.add("Fp4E2M1Bulk.encodeMultiplied " + hex(packed(x, MULTIPLIER, false, odd)));
    float[] f = new float[DST_OFFSET + 2 * m - 1];
    float[] g = new float[DST_OFFSET + 2 * m - 1];
    for (int i = 0; i < 2 * m - 1; i++) {
      byte pair = codes[SRC_OFFSET + i / 2];
      float value = Fp4E2M1.decode(i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair));
      f[DST_OFFSET + i] = value;
      g[DST_OFFSET + i] = value * SCALE;
    }
    lines.add("Fp4E2M1Bulk.decode " + hex(f));
    lines.add("Fp4E2M1Bulk.decodeScaled " + hex(g));

    byte[] b = new byte[DST_OFFSET + n];
    for (int i = 0; i < n; i++) {
      b[DST_OFFSET + i] = (byte) E8M0.encode(x[SRC_OFFSET + i]);
    }
    lines.add("E8M0Bulk.encode " + hex(b));
    f = new float[DST_OFFSET + m];
    for (int i = 0; i < m; i++) {
      f[DST_OFFSET + i] = E8M0.decode(codes[SRC_OFFSET + i]);
    }
    lines.add("E8M0Bulk.decode " + hex(f));

    short[] s = new short[DST_OFFSET + n];
    short[] t = new short[DST_OFFSET + n];
    for (int i = 0; i < n; i++) {
      s[DST_OFFSET + i] = Bf16.encode(x[SRC_OFFSET + i]);
      t[DST_OFFSET + i] = Fp16.encode(x[SRC_OFFSET + i]);
    }
    f = new float[DST_OFFSET + h];
    g = new float[DST_OFFSET + h];
    for (int i = 0; i < h; i++) {
      f[DST_OFFSET + i] = Bf16.decode(halves[SRC_OFFSET + i]);
      g[DST_OFFSET + i] = Fp16.decode(halves[SRC_OFFSET + i]);
    }
    lines.add("Bf16Bulk.encode " + hex(s));
    lines.add("Bf16Bulk.decode " + hex(f));
    lines.add("Fp16Bulk.encode " + hex(t));
    lines.add("Fp16Bulk.decode " + hex(g));
    addBlocks(lines, x, n, odd, codes, m);
    return lines;
  }

  /** The row-of-blocks lines: element i uses factor {@code k[1 + i / BLOCK]}, the run's block maxima too. */
  private static void addBlocks(List<String> lines, float[] x, int n, int odd, byte[] codes, int m) {
    float[] k = NoVectorModuleMain.factors(Math.ceilDiv(2 * m, BLOCK));
    float[] maxima = new float[DST_OFFSET + Math.ceilDiv(n, BLOCK)];
    for (int i = 0; i < n; i++) {
      int at = DST_OFFSET + i / BLOCK;
      maxima[at] = Math.max(maxima[at], Math.abs(x[SRC_OFFSET + i]));
    }
    lines.add("AbsMax.ofBlocks " + hex(maxima));
    byte[] divided = new byte[DST_OFFSET + n];
    byte[] multiplied = new byte[DST_OFFSET + n];
    for (int i = 0; i < n; i++) {
      divided[DST_OFFSET + i] = Fp8E4M3.encode(x[SRC_OFFSET + i] / k[1 + i / BLOCK]);
      multiplied[DST_OFFSET + i] = Fp8E4M3.encode(x[SRC_OFFSET + i] * k[1 + i / BLOCK]);
    }
    lines.add("Fp8E4M3Bulk.encodeBlocksDivided " + hex(divided));
    lines.add("Fp8E4M3Bulk.encodeBlocksMultiplied " + hex(multiplied));
    float[] f = new float[DST_OFFSET + m];
    for (int i = 0; i < m; i++) {
      f[DST_OFFSET + i] = Fp8E4M3.decode(codes[SRC_OFFSET + i]) * k[1 + i / BLOCK];
    }
    lines.add("Fp8E4M3Bulk.decodeBlocksScaled " + hex(f));
    byte[] packedDivided = new byte[DST_OFFSET + (odd + 1) / 2];
    byte[] packedMultiplied = new byte[DST_OFFSET + (odd + 1) / 2];
    for (int i = 0; i < odd; i++) {
      int shift = i % 2 == 0 ? 0 : 4;
      packedDivided[DST_OFFSET
          + i / 2] |= (byte) (Fp4E2M1.encode(x[SRC_OFFSET + i] / k[1 + i / BLOCK]) << shift);
      packedMultiplied[DST_OFFSET
          + i / 2] |= (byte) (Fp4E2M1.encode(x[SRC_OFFSET + i] * k[1 + i / BLOCK]) << shift);
    }
    lines.add("Fp4E2M1Bulk.encodeBlocksDivided " + hex(packedDivided));
    lines.add("Fp4E2M1Bulk.encodeBlocksMultiplied " + hex(packedMultiplied));
    f = new float[DST_OFFSET + 2 * m - 1];
    for (int i = 0; i < 2 * m - 1; i++) {
      byte pair = codes[SRC_OFFSET + i / 2];
      f[DST_OFFSET + i] = Fp4E2M1.decode(i % 2 == 0 ? Fp4E2M1.low(pair) : Fp4E2M1.high(pair))
          * k[1 + i / BLOCK];
    }
    lines.add("Fp4E2M1Bulk.decodeBlocksScaled " + hex(f));
  }

  /** The five lines of a byte codec: encode, encodeDivided, encodeMultiplied, decode, decodeScaled. */
  private static void addFp8(
      List<String> lines, String name, FloatToByte encode, ByteToFloat decode, float[] x, int n, byte[] codes,
      int m) {
    byte[] plain = new byte[DST_OFFSET + n];
    byte[] divided = new byte[DST_OFFSET + n];
    byte[] multiplied = new byte[DST_OFFSET + n];
    for (int i = 0; i < n; i++) {
      float v = x[SRC_OFFSET + i];
      plain[DST_OFFSET + i] = encode.of(v);
      divided[DST_OFFSET + i] = encode.of(v / DIVISOR);
      multiplied[DST_OFFSET + i] = encode.of(v * MULTIPLIER);
    }
    float[] values = new float[DST_OFFSET + m];
    float[] scaled = new float[DST_OFFSET + m];
    for (int i = 0; i < m; i++) {
      values[DST_OFFSET + i] = decode.of(codes[SRC_OFFSET + i]);
      scaled[DST_OFFSET + i] = decode.of(codes[SRC_OFFSET + i]) * SCALE;
    }
    lines.add(name + ".encode " + hex(plain));
    lines.add(name + ".encodeDivided " + hex(divided));
    lines.add(name + ".encodeMultiplied " + hex(multiplied));
    lines.add(name + ".decode " + hex(values));
    lines.add(name + ".decodeScaled " + hex(scaled));
  }

  /**
   * The packed FP4 codes of the first {@code length} elements of the run, each divided or multiplied by k.
   */
  private static byte[] packed(float[] x, float k, boolean divide, int length) {
    byte[] b = new byte[DST_OFFSET + (length + 1) / 2];
    for (int i = 0; i < length; i++) {
      float v = divide ? x[SRC_OFFSET + i] / k : x[SRC_OFFSET + i] * k;
      int code = Fp4E2M1.encode(v);
      b[DST_OFFSET + i / 2] |= (byte) (i % 2 == 0 ? code : code << 4);
    }
    return b;
  }

  /** Line by line, naming the first call and the first character that differ (the lines are long). */
  private static void assertSameLines(List<String> expected, List<String> actual, String where) {
    for (int k = 0; k < Math.min(expected.size(), actual.size()); k++) {
      String e = expected.get(k);
      String a = actual.get(k);
      if (!e.equals(a)) {
        int at = 0;
        while (at < Math.min(e.length(), a.length()) && e.charAt(at) == a.charAt(at)) {
          at++;
        }
        fail(where + ": line " + k + " (" + e.substring(0, e.indexOf(' ')) + ") differs from character " + at
            + ": expected ..." + e.substring(at, Math.min(e.length(), at + 24)) + ", got ..."
            + a.substring(at, Math.min(a.length(), at + 24)));
      }
    }
    assertEquals(expected.size(), actual.size(), where + ": the number of lines");
  }
}
