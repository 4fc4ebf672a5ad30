package io.jquant.runtime.kernel;

import static io.jquant.runtime.kernel.KernelData8.ROWS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.MxWeights;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Subnormal E4M3 codes: taken out of the kernel's copy of the weight, their exact values added back. */
class E4M3SubnormalsTest {
  private static final int N = 67;
  private static final int K = 300;

  /** Subnormal codes (about half) among integers in [-8, 8], both signs. */
  private static byte[] codes(Random random) {
    byte[] codes = KernelData8.e4m3Integers(N * K, random);
    for (int i = 0; i < codes.length; i++) {
      if (random.nextBoolean()) {
        codes[i] = (byte) ((1 + random.nextInt(7)) | (random.nextBoolean() ? 0x80 : 0));
      }
    }
    return codes;
  }

  @Test
  void theWordScanFindsEverySubnormalCodeAtEveryPosition() {
    byte[] row = new byte[19];
    for (int code = 0; code < 256; code++) {
      boolean subnormal = (code & 0x78) == 0 && (code & 0x07) != 0;
      assertEquals(subnormal, E4M3Subnormals.isSubnormal((byte) code), "code " + code);
      for (int at = 0; at < row.length; at++) {
        java.util.Arrays.fill(row, (byte) 0x38); // 1.0
        row[at] = (byte) code;
        assertEquals(subnormal, E4M3Subnormals.any(MemorySegment.ofArray(row), 0, row.length),
            "code " + code + " at " + at);
      }
    }
  }

  @Test
  void theCopyHoldsNoSubnormalCodeAndTheCallersBytesAreUntouched() {
    byte[] codes = codes(new Random(41));
    byte[] original = codes.clone();
    MemorySegment segment = MemorySegment.ofArray(codes);
    E4M3Matrix matrix = E4M3Matrix.fp8(segment, N, K, 1, K, new float[N], true);
    assertArrayEquals(original, codes);
    byte[] copy = matrix.codes().toArray(ValueLayout.JAVA_BYTE);
    for (int i = 0; i < copy.length; i++) {
      byte expected = E4M3Subnormals.isSubnormal(original[i]) ? (byte) (original[i] & 0x80) : original[i];
      assertEquals(expected, copy[i], "byte " + i);
    }
    // Without subnormal codes an off-heap weight (a mapped checkpoint) is read in place.
    byte[] normal = KernelData8.e4m3Integers(N * K, new Random(42));
    MemorySegment normalSegment = Arena.ofAuto().allocate(normal.length)
        .copyFrom(MemorySegment.ofArray(normal));
    assertSame(normalSegment, E4M3Matrix.fp8(normalSegment, N, K, 1, K, new float[N], true).codes());
    assertNotSame(segment, matrix.codes());
  }

  @Test
  void subnormalCodesGiveTheReferenceBitForBitOnEveryPath() {
    // Codes times power-of-two scales times small integers: exact sums, so any order gives the same bits.
    Random random = new Random(43);
    byte[] codes = codes(random);
    float[] rowScales = new float[N];
    for (int n = 0; n < N; n++) {
      rowScales[n] = n % 2 == 0 ? 0.5f : 1f;
    }
    byte[] mxCodes = new byte[N * 320];
    for (int i = 0; i < mxCodes.length; i++) {
      mxCodes[i] = codes[i % codes.length];
    }
    byte[] mxScales = new byte[N * 10];
    for (int i = 0; i < mxScales.length; i++) {
      mxScales[i] = (byte) (126 + random.nextInt(2));
    }
    Fp8Weights tensor = Fp8Weights.tensorwise("t", N, K, codes, 1f);
    Fp8Weights row = Fp8Weights.rowwise("r", N, K, codes, rowScales);
    Fp8Weights block = Fp8Weights.blockwise("b", N, K, 32, 128, codes, new float[] {
        1f, 0.5f, 1f, 0.5f, 0.5f, 1f, 1f, 1f, 0.5f });
    MxWeights mx = new MxWeights("m", N, 320, MxElement.FP8_E4M3, mxCodes, mxScales);
    float[] bias = KernelData8.integers(N, random);
    for (var w : new Fp8Weights[] { tensor, row, block }) {
      Fp8Linear linear = Fp8Linear.of("l", w, InputActivations.weightOnly(), bias);
      for (int m : ROWS) {
        float[] x = KernelData8.integers(m * K, random);
        KernelData8.assertExact(w.name(), linear, w.dequantize(), x, m, bias);
      }
    }
    Mxfp8Linear linear = Mxfp8Linear.of("l", mx, InputActivations.weightOnly(), bias);
    for (int m : ROWS) {
      KernelData8.assertExact("mx", linear, mx.dequantize(), KernelData8.integers(m * 320, random), m, bias);
    }
  }

  @Test
  void infiniteActivationsTimesSubnormalWeightsGiveTheReferencesInfinity() {
    // A zeroed code times Inf is NaN; the reference's tiny weight times Inf is Inf.
    byte[] codes = new byte[2 * 40];
    java.util.Arrays.fill(codes, (byte) 0x01); // 2^-9
    Fp8Linear linear = Fp8Linear.of("l", Fp8Weights.tensorwise("w", 2, 40, codes, 1f),
        InputActivations.weightOnly(), null);
    for (int m : ROWS) {
      float[] x = new float[m * 40];
      x[3] = Float.POSITIVE_INFINITY;
      float[] y = KernelData8.run(linear, x, m, KernelThreads.single());
      assertEquals(Float.POSITIVE_INFINITY, y[0], "rows " + m);
      assertEquals(Float.POSITIVE_INFINITY, y[1], "rows " + m);
    }
    assertEquals(0x1p-9f, Fp8E4M3.decode((byte) 0x01));
  }
}
