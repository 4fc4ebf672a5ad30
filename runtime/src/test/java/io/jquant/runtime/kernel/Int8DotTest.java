package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.runtime.ChildJvm;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.quant.activation.QuantizedActivations;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Int8Linear}'s integer kernel for W8A8: selected exactly where it is exact, the bits of an
 * independent scalar computation ({@code Σ q_w·q_x} in a long, then {@code (sum · xScale) · wScale}), within
 * the float32 bound of the format's reference, and the same bits on the AVX2 lanes.
 */
class Int8DotTest {
  private static final ActivationQuantizer INT8 = ActivationQuantizer.int8PerToken();

  /** The independent reference: the quantizer's codes, an exact long sum, then the kernel's two roundings. */
  private static float[] exactIntegerReference(Int8Weights w, float[] x, int rows, float[] bias) {
    int n = w.rows();
    int k = w.cols();
    QuantizedActivations q = INT8.quantize(new FloatMatrix("x", rows, k, x));
    float[] y = new float[rows * n];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < n; j++) {
        long sum = 0;
        for (int i = 0; i < k; i++) {
          sum += (long) w.data()[j * k + i] * q.codes()[r * k + i];
        }
        float scaled = (float) sum * q.scale(r, 0) * w.scales()[j];
        y[r * n + j] = bias == null ? scaled : scaled + bias[j];
      }
    }
    return y;
  }

  @Test
  void w8a8GivesTheExactIntegerSumScaledOnceAndStaysWithinTheReferenceBound() {
    assertEquals(KernelPlan.INT8_DOT_MAX_ROWS, Int8DotMain.ROWS[Int8DotMain.ROWS.length - 1],
        "every row count");
    for (Int8DotMain.Case c : Int8DotMain.cases()) {
      Int8Linear linear = Int8DotMain.layer(c);
      assertTrue(linear.integerDot(), c.weights().name());
      for (int rows : Int8DotMain.ROWS) {
        float[] x = Int8DotMain.x(c, rows);
        float[] y = KernelData8.run(linear, x, rows, KernelThreads.single());
        String what = c.weights().name() + " rows " + rows;
        ReferenceMatmul8.assertSameBits(what, exactIntegerReference(c.weights(), x, rows, c.bias()), y);
        ReferenceMatmul8.assertClose(what, c.weights().dequantize(),
            ReferenceMatmul8.activations(INT8, x, rows, c.weights().cols()), rows, c.bias(), y);
      }
    }
  }

  @Test
  void theKernelIsChosenForW8A8OnlyAndUpToTheWidestExactK() {
    Random random = new Random(41);
    Int8Weights narrow = new Int8Weights("w", 2, 64, KernelData8.bytes(128, random), new float[] { 1f, 2f });
    assertFalse(Int8Linear.of("L", narrow, InputActivations.weightOnly(), null).integerDot(), "weight-only");
    assertFalse(Int8Linear.of("L", narrow,
        InputActivations.quantized(ActivationQuantizer.fp8DynamicPerToken(null)), null).integerDot(), "FP8");

    // All codes -128 against activation codes -127: Σ q_w·q_x = 128 · 127 · K, the largest sum K allows.
    int widest = KernelPlan.INT8_DOT_MAX_COLS;
    for (int k : new int[] { widest, widest + 1 }) {
      byte[] codes = new byte[2 * k];
      Arrays.fill(codes, 0, k, (byte) -128);
      for (int i = k; i < 2 * k; i++) {
        codes[i] = (byte) (random.nextBoolean() ? 127 : -128);
      }
      Int8Weights w = new Int8Weights("wide", 2, k, codes, new float[] { 1f, 0.25f });
      Int8Linear linear = Int8Linear.of("L", w, InputActivations.quantized(INT8), null);
      assertEquals(k <= widest, linear.integerDot(), "K = " + k);
      // Activations as shorts, then as bytes.
      for (int rows : new int[] { 1, KernelPlan.INT8_WIDE_ROWS + 1 }) {
        float[] x = new float[rows * k];
        Arrays.fill(x, -1f);
        float[] y = KernelData8.run(linear, x, rows, KernelThreads.single());
        String what = "K = " + k + " rows " + rows;
        if (k <= widest) {
          float xScale = INT8.quantize(new FloatMatrix("x", rows, k, x)).scale(0, 0);
          assertEquals(128L * 127 * k, (long) (y[0] / xScale), what + ": the largest sum, exact");
          ReferenceMatmul8.assertSameBits(what, exactIntegerReference(w, x, rows, null), y);
        }
        ReferenceMatmul8.assertClose(what, w.dequantize(), ReferenceMatmul8.activations(INT8, x, rows, k),
            rows, null, y);
      }
    }
  }

  @Test
  void nonFiniteScalesAndActivationsGiveTheReferencesNanAndInfinities() {
    Random random = new Random(42);
    int n = 67;
    int k = 300;
    byte[] codes = KernelData8.bytes(n * k, random);
    Arrays.fill(codes, 2 * k, 2 * k + 10, (byte) 0);
    float[] scales = new float[n];
    Arrays.fill(scales, 0.01f);
    scales[0] = Float.NaN;
    scales[1] = 0f;
    scales[2] = Float.POSITIVE_INFINITY; // zero codes in this row give 0 · Inf = NaN in the reference
    scales[3] = Float.MIN_VALUE;
    scales[4] = Float.NEGATIVE_INFINITY;
    scales[5] = -0.5f;
    Int8Weights w = new Int8Weights("odd scales", n, k, codes, scales);
    FloatMatrix dequantized = w.dequantize();
    Int8Linear linear = Int8Linear.of("L", w, InputActivations.quantized(INT8), null);
    assertTrue(linear.integerDot());
    for (int rows : new int[] { 1, 2, 3, 4, 7 }) {
      for (float[] x : List.of(KernelData8.withNonFinite(rows, k, random), new float[rows * k])) {
        float[] y = KernelData8.run(linear, x, rows, KernelThreads.single());
        ReferenceMatmul8.assertClose("rows " + rows, dequantized,
            ReferenceMatmul8.activations(INT8, x, rows, k), rows, null, y);
        assertTrue(Float.isNaN(y[0]), "a NaN weight scale gives NaN");
        assertTrue(Float.isNaN(y[2]), "zero codes times an infinite scale give NaN");
      }
    }
  }

  @Test
  void oneAndTwoThreadsGiveTheSameBits() {
    Random random = new Random(43);
    try (KernelThreads two = KernelThreads.create(2)) {
      for (Int8DotMain.Case c : Int8DotMain.cases()) {
        Int8Linear linear = Int8DotMain.layer(c);
        for (int rows : KernelData8.ROWS) {
          float[] x = KernelData8.gaussian(rows * c.weights().cols(), random);
          ReferenceMatmul8.assertSameBits(c.weights().name() + " rows " + rows,
              KernelData8.run(linear, x, rows, KernelThreads.single()),
              KernelData8.run(linear, x, rows, two));
        }
      }
    }
  }

  @Test
  void fusedGateAndUpGiveTheBitsOfSeparateForwardsWhetherOrNotBothRunTheIntegerKernel() {
    Random random = new Random(44);
    int out = 96;
    int in = 300;
    InputActivations a = InputActivations.quantized(INT8);
    Int8Weights g = new Int8Weights("g", out, in, KernelData8.bytes(out * in, random), scales(out, random));
    Int8Weights u = new Int8Weights("u", out, in, KernelData8.bytes(out * in, random), scales(out, random));
    Int8Linear gateInteger = Int8Linear.of("g", g, a, KernelData8.bias(out, random));
    Int8Linear upInteger = Int8Linear.of("u", u, a, null);
    Int8Linear gateFloat;
    Int8Linear upFloat;
    System.setProperty(KernelPlan.INT8_DOT_PROPERTY, "false");
    try {
      gateFloat = Int8Linear.of("g", g, a, gateInteger.bias());
      upFloat = Int8Linear.of("u", u, a, null);
    } finally {
      System.clearProperty(KernelPlan.INT8_DOT_PROPERTY);
    }
    assertFalse(gateFloat.integerDot());
    Int8Linear[][] pairs = { { gateInteger, upInteger }, { gateInteger, upFloat }, { gateFloat, upInteger } };
    try (KernelThreads two = KernelThreads.create(2)) {
      for (Int8Linear[] pair : pairs) {
        GateUpLinear fused = GateUpLinear.create(pair[0], pair[1]);
        String what = pair[0].integerDot() + "/" + pair[1].integerDot();
        for (int rows : new int[] { 1, 2, 3, 6, 7, 33 }) {
          float[] x = KernelData8.gaussian(rows * in, random);
          float[] gy = KernelData8.run(pair[0], x, rows, KernelThreads.single());
          float[] uy = KernelData8.run(pair[1], x, rows, KernelThreads.single());
          float[] expected = new float[rows * out];
          for (int i = 0; i < expected.length; i++) {
            expected[i] = GateUpLinear.silu(gy[i]) * uy[i];
          }
          float[] y = new float[rows * out];
          fused.forward(x, y, rows, two);
          ReferenceMatmul8.assertSameBits("integer " + what + " rows " + rows, expected, y);
        }
      }
    }
  }

  private static float[] scales(int n, Random random) {
    float[] scales = new float[n];
    for (int j = 0; j < n; j++) {
      scales[j] = (float) Math.exp(random.nextGaussian() - 5);
    }
    return scales;
  }

  @Test
  void theAvx2LanesGiveTheSameBits(@TempDir Path dir) throws Exception {
    List<String> here = Int8DotMain.run();
    ChildJvm.Output child = ChildJvm.run(Int8DotMain.class, dir,
        List.of("--add-modules", "jdk.incubator.vector", "-XX:UseAVX=2"));
    assertEquals("lanes 16", child.stdout().get(0), "AVX2 has 16 short lanes; stderr:\n" + child.stderr());
    assertEquals(here, child.stdout().subList(1, child.stdout().size()),
        "AVX2 against this JVM's " + I8DotLanes.LENGTH + " lanes");
  }
}
