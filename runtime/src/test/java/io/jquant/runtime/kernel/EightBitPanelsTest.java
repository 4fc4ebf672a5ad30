package io.jquant.runtime.kernel;

import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.MxWeights;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The GEMM panels and the scalar paths (the runtime without the Vector API), on the matrices directly:
 * decoded panels equal the weights' {@code dequantize()} bit for bit, in any tile, vector or scalar; the
 * scalar GEMV matches the reference.
 */
class EightBitPanelsTest {
  private static final int N = 67;
  private static final int K = 300;

  private static Fp8Weights fp8(Random random) {
    byte[] codes = KernelData8.e4m3Codes(N * K, random);
    codes[4 * K + 9] = 0x7F; // a NaN row
    float[] scales = new float[Math.ceilDiv(N, 16) * Math.ceilDiv(K, 128)];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (float) Math.exp(random.nextGaussian() * 4);
    }
    scales[1] = 500f; // an exact-path row group
    return Fp8Weights.blockwise("w", N, K, 16, 128, codes, scales);
  }

  private static MxWeights mx(Random random) {
    int k = 320;
    byte[] scales = new byte[N * k / 32];
    for (int i = 0; i < scales.length; i++) {
      scales[i] = (byte) (100 + random.nextInt(40));
    }
    scales[3] = (byte) 255;
    byte[] codes = KernelData8.e4m3Codes(N * k, random);
    codes[9 * k] = (byte) 0xFF;
    return new MxWeights("w", N, k, MxElement.FP8_E4M3, codes, scales);
  }

  private static E4M3Matrix matrix(Fp8Weights w, boolean vector) {
    return E4M3Matrix.fp8(MemorySegment.ofArray(w.data()), w.rows(), w.cols(), w.blockRows(), w.blockCols(),
        w.scales(), vector);
  }

  private static E4M3Matrix matrix(MxWeights w, boolean vector) {
    return E4M3Matrix.mx(MemorySegment.ofArray(w.data()), w.rows(), w.cols(),
        MemorySegment.ofArray(w.scales()),
        vector);
  }

  /** Decodes tiles of rows {@code [n0, n0 + 5)} and columns {@code [k0, k0 + depth)} and compares bits. */
  private static void assertPanels(String what, WeightPanels panels, FloatMatrix expected) {
    int k = expected.cols();
    int[][] tiles = { { 0, k }, { 0, 128 }, { 128, k - 128 }, { 32, 64 }, { k - 17, 17 } };
    for (int n0 = 0; n0 + 5 <= expected.rows(); n0 += 5) {
      for (int[] tile : tiles) {
        float[] panel = new float[5 * tile[1]];
        panels.decode(n0, 5, tile[0], tile[1], panel);
        float[] want = new float[panel.length];
        for (int j = 0; j < 5; j++) {
          System.arraycopy(expected.values(), (n0 + j) * k + tile[0], want, j * tile[1], tile[1]);
        }
        ReferenceMatmul8.assertSameBits(what + " rows " + n0 + " tile " + Arrays.toString(tile), want, panel);
      }
    }
  }

  @Test
  void panelsAreTheDequantizedWeightsBitForBit() {
    Random random = new Random(31);
    Fp8Weights f = fp8(random);
    MxWeights m = mx(random);
    byte[] q = KernelData8.bytes(N * K, random);
    float[] s = KernelData8.gaussian(N, random);
    s[2] = Float.POSITIVE_INFINITY;
    Int8Weights i = new Int8Weights("w", N, K, q, s);
    for (boolean vector : new boolean[] { true, false }) {
      assertPanels("fp8 vector " + vector, matrix(f, vector), f.dequantize());
      assertPanels("mxfp8 vector " + vector, matrix(m, vector), m.dequantize());
      assertPanels("int8 vector " + vector, new I8Matrix(MemorySegment.ofArray(q), N, K, s, vector),
          i.dequantize());
    }
  }

  @Test
  void scalarGemvMatchesTheReference() {
    Random random = new Random(32);
    Fp8Weights f = fp8(random);
    MxWeights m = mx(random);
    Int8Weights i = new Int8Weights("w", N, K, KernelData8.bytes(N * K, random),
        KernelData8.gaussian(N, random));
    for (int rows : new int[] { 1, 2, 3 }) {
      float[] x = KernelData8.withNonFinite(rows, K, random);
      float[] y = new float[rows * N];
      matrix(f, false).gemv(x, rows, 0, N, y, 0, N);
      ReferenceMatmul8.assertClose("fp8 scalar", f.dequantize(), x, rows, null, y);
      new I8Matrix(MemorySegment.ofArray(i.data()), N, K, i.scales(), false).gemv(x, rows, 0, N, y, 0, N);
      ReferenceMatmul8.assertClose("int8 scalar", i.dequantize(), x, rows, null, y);
      float[] xm = KernelData8.gaussian(rows * m.cols(), random);
      matrix(m, false).gemv(xm, rows, 0, N, y, 0, N);
      ReferenceMatmul8.assertClose("mxfp8 scalar", m.dequantize(), xm, rows, null, y);
    }
  }
}
