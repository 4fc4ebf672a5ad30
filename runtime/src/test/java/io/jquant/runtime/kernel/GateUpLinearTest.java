package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GateUpLinearTest {
  /** silu(gate(x)) · up(x) from the layers' own forward calls. */
  private static float[] separate(Linear gate, Linear up, float[] x, int rows) {
    int out = gate.outFeatures();
    float[] g = new float[rows * out];
    float[] u = new float[rows * out];
    gate.forward(x, g, rows);
    up.forward(x, u, rows);
    float[] y = new float[rows * out];
    for (int i = 0; i < y.length; i++) {
      y[i] = g[i] / (1f + (float) Math.exp(-g[i])) * u[i];
    }
    return y;
  }

  @Test
  void fusedBf16AndFp32GiveTheBitsOfSeparateForwardsOnBothPathsAndThreadCounts() {
    Random random = new Random(21);
    int out = 600;
    int in = 96;
    float[] gw = Reference.random(random, out * in);
    float[] uw = Reference.random(random, out * in);
    float[] gb = Reference.random(random, out);
    Linear[][] pairs = {
        { Bf16Linear.create("g", LinearKernelsTest.bf16("g.weight", gw.clone(), out, in), gb),
            Bf16Linear.create("u", LinearKernelsTest.bf16("u.weight", uw.clone(), out, in), null) },
        { new Fp32Linear("g", gw, gb, out, in), new Fp32Linear("u", uw, null, out, in) },
    };
    try (KernelThreads two = KernelThreads.create(2)) {
      for (Linear[] pair : pairs) {
        GateUpLinear fused = GateUpLinear.create(pair[0], pair[1]);
        assertEquals(pair[0].weightBytes() + pair[1].weightBytes(), fused.weightBytes());
        for (int rows : new int[] { 1, 3, 7, 33 }) {
          float[] x = Reference.random(random, rows * in);
          float[] expected = separate(pair[0], pair[1], x, rows);
          float[] y = new float[rows * out];
          fused.forward(x, y, rows);
          assertArrayEquals(expected, y, fused + " rows " + rows);
          fused.forward(x, y, rows, two);
          assertArrayEquals(expected, y, fused + " rows " + rows + ", 2 threads");
        }
      }
    }
  }

  @Test
  void fusedEightBitLayersGiveTheBitsOfSeparateForwards() {
    // FP8 rowwise with FP8 per-token activations (one shared prepare), MXFP8 and INT8 weight-only: the GEMV
    // (1, 3 rows) and the panel GEMM (7, 33 rows), one and two threads.
    Random random = new Random(22);
    int out = 600;
    int in = 320;
    InputActivations perToken = InputActivations.quantized(ActivationQuantizer.fp8DynamicPerToken(null));
    byte[] mxScales = new byte[out * in / 32];
    for (int i = 0; i < mxScales.length; i++) {
      mxScales[i] = (byte) (120 + random.nextInt(12));
    }
    Linear[][] pairs = {
        { Fp8Linear.of("g", Fp8Weights.rowwise("g", out, in, KernelData8.e4m3Codes(out * in, random),
            KernelData8.gaussian(out, random)), perToken, KernelData8.gaussian(out, random)),
            Fp8Linear.of("u", Fp8Weights.rowwise("u", out, in, KernelData8.e4m3Codes(out * in, random),
                KernelData8.gaussian(out, random)), perToken, null) },
        { Mxfp8Linear.of("g", new MxWeights("g", out, in, MxElement.FP8_E4M3,
            KernelData8.e4m3Codes(out * in, random), mxScales), InputActivations.weightOnly(), null),
            Mxfp8Linear.of("u", new MxWeights("u", out, in, MxElement.FP8_E4M3,
                KernelData8.e4m3Codes(out * in, random), mxScales), InputActivations.weightOnly(), null) },
        { Int8Linear.of("g", new Int8Weights("g", out, in, KernelData8.bytes(out * in, random),
            KernelData8.gaussian(out, random)), InputActivations.weightOnly(), null),
            Int8Linear.of("u", new Int8Weights("u", out, in, KernelData8.bytes(out * in, random),
                KernelData8.gaussian(out, random)), InputActivations.weightOnly(),
                KernelData8.gaussian(out, random)) },
    };
    assertFusedEqualsSeparate(pairs, out, in, random);
  }

  @Test
  void fusedFp4LayersGiveTheBitsOfSeparateForwards() {
    // NVFP4 with its dynamic activation quantizer (one InputActivations: prepared once for both) and MXFP4
    // weight-only: the GEMV (1, 3, 7 rows) and the panel GEMM (33 rows), one and two threads. 600 columns end
    // in an odd GEMV pair of a fused slice; K = 320 has a lane chunk tail.
    Random random = new Random(23);
    int out = 600;
    int in = 320;
    InputActivations nvfp4 = InputActivations.quantized(ActivationQuantizer.nvfp4Dynamic());
    Linear[][] pairs = {
        { Nvfp4Linear.of("g", Fp4LinearTest.Format.NVFP4.random(out, in, 0.01f, false, 1), nvfp4,
            KernelData8.gaussian(out, random)),
            Nvfp4Linear.of("u", Fp4LinearTest.Format.NVFP4.random(out, in, 0.02f, false, 2), nvfp4, null) },
        { Mxfp4Linear.of("g", Fp4LinearTest.Format.MXFP4.random(out, in, 1f, false, 3),
            InputActivations.weightOnly(),
            null),
            Mxfp4Linear.of("u", Fp4LinearTest.Format.MXFP4.random(out, in, 1f, false, 4),
                InputActivations.weightOnly(), KernelData8.gaussian(out, random)) },
    };
    assertFusedEqualsSeparate(pairs, out, in, random);
  }

  @Test
  void siluFollowsTheFloat32Formula() {
    assertEquals(0f, GateUpLinear.silu(0f));
    assertEquals(1f / (1f + (float) Math.exp(-1.0)), GateUpLinear.silu(1f));
    assertEquals(Float.POSITIVE_INFINITY, GateUpLinear.silu(Float.POSITIVE_INFINITY));
    assertEquals(-0f, GateUpLinear.silu(-200f));
    assertEquals(Float.NaN, GateUpLinear.silu(Float.NaN));
  }

  @Test
  void refusesLayersOfDifferentShapeOrClass() {
    Linear a = new Fp32Linear("a", new float[6], null, 2, 3);
    Linear b = new Fp32Linear("b", new float[6], null, 3, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GateUpLinear.create(a, b));
    assertEquals("layers a and b cannot be fused: gate is Fp32Linear [2, 3], up is Fp32Linear [3, 2]",
        e.getMessage());
  }

  /**
   * Each pair fused gives the bits of its separate forwards at 1, 3, 7 and 33 rows, on one and two threads.
   */
  private static void assertFusedEqualsSeparate(Linear[][] pairs, int out, int in, Random random) {
    try (KernelThreads two = KernelThreads.create(2)) {
      for (Linear[] pair : pairs) {
        GateUpLinear fused = GateUpLinear.create(pair[0], pair[1]);
        for (int rows : new int[] { 1, 3, 7, 33 }) {
          float[] x = KernelData8.gaussian(rows * in, random);
          float[] expected = separate(pair[0], pair[1], x, rows);
          float[] y = new float[rows * out];
          fused.forward(x, y, rows);
          ReferenceMatmul8.assertSameBits(fused + " rows " + rows, expected, y);
          fused.forward(x, y, rows, two);
          ReferenceMatmul8.assertSameBits(fused + " rows " + rows + ", 2 threads", expected, y);
        }
      }
    }
  }
}
