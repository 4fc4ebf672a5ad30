package io.jquant.runtime.kernel;

import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import java.util.List;
import java.util.Random;

/** Test data for the 8-bit kernels and one driver that runs a layer against {@link ReferenceMatmul8}. */
final class KernelData8 {
  static final int[] ROWS = { 1, 2, 3, 7, 16, 24, 31, 64 };

  private KernelData8() {}

  /** Random E4M3 codes over the whole code space except the two NaN codes. */
  static byte[] e4m3Codes(int count, Random random) {
    byte[] codes = new byte[count];
    for (int i = 0; i < count; i++) {
      int b = random.nextInt(256);
      codes[i] = (byte) ((b & 0x7F) == 0x7F ? b - 1 : b);
    }
    return codes;
  }

  /** E4M3 codes of random integers in [-8, 8], so that products with small integers sum exactly. */
  static byte[] e4m3Integers(int count, Random random) {
    byte[] codes = new byte[count];
    for (int i = 0; i < count; i++) {
      codes[i] = Fp8E4M3.encode(random.nextInt(17) - 8);
    }
    return codes;
  }

  /** Random signed bytes. */
  static byte[] bytes(int count, Random random) {
    byte[] codes = new byte[count];
    random.nextBytes(codes);
    return codes;
  }

  /** Gaussian activations. */
  static float[] gaussian(int count, Random random) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  /** Random integers in [-3, 3]. */
  static float[] integers(int count, Random random) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = random.nextInt(7) - 3;
    }
    return x;
  }

  /** Gaussian activations with NaN, +Inf and -Inf in some rows, and a row with both infinities. */
  static float[] withNonFinite(int rows, int in, Random random) {
    float[] x = gaussian(rows * in, random);
    x[0] = Float.NaN;
    if (rows > 1) {
      x[in + in / 2] = Float.POSITIVE_INFINITY;
    }
    if (rows > 2) {
      x[2 * in] = Float.NEGATIVE_INFINITY;
    }
    if (rows > 3 && in > 1) {
      x[3 * in] = Float.POSITIVE_INFINITY;
      x[4 * in - 1] = Float.NEGATIVE_INFINITY;
    }
    return x;
  }

  static float[] bias(int out, Random random) {
    return gaussian(out, random);
  }

  /** Runs the layer on {@code rows} rows and returns y. */
  static float[] run(Linear linear, float[] x, int rows, KernelThreads threads) {
    float[] y = new float[rows * linear.outFeatures()];
    java.util.Arrays.fill(y, 12345f); // every output must be written
    linear.forward(x, y, rows, threads);
    return y;
  }

  /** Runs the layer and checks it against the reference within the tolerance of {@link ReferenceMatmul8}. */
  static void assertMatchesReference(String what, Linear linear, FloatMatrix weights,
      ActivationQuantizer quantizer, float[] x, int rows, float[] bias) {
    float[] y = run(linear, x, rows, KernelThreads.single());
    float[] multiplied = ReferenceMatmul8.activations(quantizer, x, rows, linear.inFeatures());
    ReferenceMatmul8.assertClose(what + " rows " + rows, weights, multiplied, rows, bias, y);
  }

  /** Runs the layer and checks it bit for bit against the reference (for data whose sums are exact). */
  static void assertExact(String what, Linear linear, FloatMatrix weights, float[] x, int rows,
      float[] bias) {
    float[] y = run(linear, x, rows, KernelThreads.single());
    ReferenceMatmul8.assertSameBits(what + " rows " + rows, ReferenceMatmul8.multiply(weights, x, rows, bias),
        y);
  }

  /** An 8-bit layer's {@code of(layer, weights, activations, bias)} factory. */
  @FunctionalInterface
  interface Layers<W> {
    Linear of(String layer, W weights, InputActivations activations, float[] bias);
  }

  /** The weight's name and shape, and for FP8 its scale granularity and block: what a failure must say. */
  static String label(QuantizedWeights w) {
    String shape = w.name() + " [" + w.rows() + ", " + w.cols() + "]";
    return w instanceof Fp8Weights f
        ? shape + " " + f.granularity() + " block [" + f.blockRows() + ", " + f.blockCols() + "]"
        : shape;
  }

  /**
   * Each weight with a random bias, under each activation quantizer ({@code null}: weight-only), on Gaussian
   * x at every row count of {@link #ROWS}, against the reference.
   */
  static <W extends QuantizedWeights> void assertRandomMatchReference(List<W> cases,
      List<ActivationQuantizer> quantizers, Layers<W> layers, Random random) {
    for (W w : cases) {
      FloatMatrix dequantized = w.dequantize();
      float[] bias = bias(w.rows(), random);
      for (ActivationQuantizer q : quantizers) {
        InputActivations a = q == null ? InputActivations.weightOnly() : InputActivations.quantized(q);
        Linear linear = layers.of("layer", w, a, bias);
        for (int m : ROWS) {
          assertMatchesReference(label(w) + " " + q, linear, dequantized, q, gaussian(m * w.cols(), random),
              m,
              bias);
        }
      }
    }
  }

  /**
   * Each weight of exact data (integer codes times power-of-two scales) with an integer bias, on small
   * integer x: every partial sum is exact in float32, so any order gives the reference's bits and one wrong
   * element or scale shows.
   */
  static <W extends QuantizedWeights> void assertExactData(List<W> cases, Layers<W> layers, Random random) {
    for (W w : cases) {
      float[] bias = integers(w.rows(), random);
      Linear linear = layers.of("layer", w, InputActivations.weightOnly(), bias);
      FloatMatrix dequantized = w.dequantize();
      for (int m : ROWS) {
        assertExact(label(w), linear, dequantized, integers(m * w.cols(), random), m, bias);
      }
    }
  }

  /**
   * Each weight's layer (weight-only, no bias) on Gaussian and on non-finite x for every row count of
   * {@link #ROWS}, against the reference.
   */
  static <W extends QuantizedWeights> void assertEachMatchesReference(List<W> cases, Layers<W> layers,
      Random random) {
    for (W w : cases) {
      FloatMatrix dequantized = w.dequantize();
      Linear linear = layers.of("layer", w, InputActivations.weightOnly(), null);
      for (int m : ROWS) {
        assertMatchesReference(label(w), linear, dequantized, null, gaussian(m * w.cols(), random), m, null);
        assertMatchesReference(label(w) + " non-finite x", linear, dequantized, null,
            withNonFinite(m, w.cols(), random), m, null);
      }
    }
  }

  /**
   * Asserts that 1 and 2 threads give the same bits for each weight's layer (weight-only) at every row count.
   */
  static <W extends QuantizedWeights> void assertThreadsAgree(List<W> cases, Layers<W> layers,
      Random random) {
    try (KernelThreads two = KernelThreads.create(2)) {
      for (W w : cases) {
        Linear linear = layers.of("layer", w, InputActivations.weightOnly(), null);
        for (int m : ROWS) {
          float[] x = gaussian(m * w.cols(), random);
          ReferenceMatmul8.assertSameBits(label(w) + " rows " + m, run(linear, x, m, KernelThreads.single()),
              run(linear, x, m, two));
        }
      }
    }
  }
}
