package io.jquant.runtime.kernel;

import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fixed W8A8 cases for {@link Int8Linear}'s integer kernel, one line per case and row count with the outputs'
 * bits: run by {@link Int8DotTest} in this JVM and in a child JVM on the AVX2 lanes ({@code -XX:UseAVX=2}).
 * The first line names the kernel's short lanes per vector.
 */
public final class Int8DotMain {
  /** The row counts the integer kernel takes: 1 to {@link KernelPlan#INT8_DOT_MAX_ROWS}. */
  static final int[] ROWS = { 1, 2, 3, 4, 5, 6 };

  /** A weight and its bias. */
  record Case(Int8Weights weights, float[] bias) {}

  private Int8DotMain() {}

  public static void main(String[] args) {
    System.out.println("lanes " + I8DotLanes.LENGTH);
    for (String line : run()) {
      System.out.println(line);
    }
  }

  /**
   * Shapes around the lane counts (K below one vector, odd tails, several vectors), random codes and scales;
   * one case of extreme codes (-128 and 127) whose sums pass 2^24.
   */
  static List<Case> cases() {
    Random random = new Random(31);
    List<Case> cases = new ArrayList<>();
    int[][] shapes = { { 3, 1 }, { 5, 15 }, { 67, 37 }, { 33, 64 }, { 129, 300 }, { 17, 4099 } };
    for (int[] shape : shapes) {
      int n = shape[0];
      int k = shape[1];
      float[] scales = new float[n];
      for (int j = 0; j < n; j++) {
        scales[j] = (float) Math.exp(random.nextGaussian() * 3 - 5);
      }
      cases.add(new Case(new Int8Weights("w" + n + "x" + k, n, k, KernelData8.bytes(n * k, random), scales),
          KernelData8.bias(n, random)));
    }
    int n = 6;
    int k = 8192;
    byte[] extremes = new byte[n * k];
    for (int i = 0; i < extremes.length; i++) {
      extremes[i] = (byte) (i / k % 2 == 0 ? -128 : random.nextBoolean() ? 127 : -128);
    }
    float[] scales = { 1f, 0.5f, 3e-3f, 7f, 1e-30f, 1e30f };
    cases.add(new Case(new Int8Weights("extremes", n, k, extremes, scales), null));
    return cases;
  }

  /** The activations of a case: Gaussian, the extreme case's all of one sign in its first row. */
  static float[] x(Case c, int rows) {
    Random random = new Random(rows * 1000L + c.weights().cols());
    float[] x = KernelData8.gaussian(rows * c.weights().cols(), random);
    if (c.weights().name().equals("extremes")) {
      java.util.Arrays.fill(x, 0, c.weights().cols(), -1f);
    }
    return x;
  }

  /** The W8A8 layer of a case. */
  static Int8Linear layer(Case c) {
    return Int8Linear.of("dot", c.weights(), InputActivations.quantized(ActivationQuantizer.int8PerToken()),
        c.bias());
  }

  /** Each case's outputs as hex bits, one line per case and row count. */
  static List<String> run() {
    List<String> lines = new ArrayList<>();
    for (Case c : cases()) {
      Int8Linear linear = layer(c);
      if (!linear.integerDot()) {
        throw new IllegalStateException(c.weights().name() + ": the integer kernel is not selected");
      }
      for (int rows : ROWS) {
        float[] y = KernelData8.run(linear, x(c, rows), rows, KernelThreads.single());
        StringBuilder line = new StringBuilder(c.weights().name() + " " + rows);
        for (float v : y) {
          line.append(' ').append(Integer.toHexString(Float.floatToIntBits(v)));
        }
        lines.add(line.toString());
      }
    }
    return lines;
  }
}
