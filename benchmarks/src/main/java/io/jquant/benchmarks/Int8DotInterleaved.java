package io.jquant.benchmarks;

import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelPlan;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.QuantizedWeights;
import java.util.Arrays;

/**
 * The A/B of {@link Int8DotBenchmark} for a loaded machine: the integer and the float W8A8 layer over one
 * weight in one JVM, called alternately, {@code rounds} calls each per row count after a warm-up, printing
 * the minimum and the median of each and their ratios. Alternating puts both under the same load, which
 * separate JMH forks minutes apart do not; the minimum is the least disturbed call.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * io.jquant.benchmarks.Int8DotInterleaved SHAPE THREADS M,M,... ROUNDS}, e.g. {@code 4096x4096 1 1,4,64 200}.
 */
public final class Int8DotInterleaved {
  private Int8DotInterleaved() {}

  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: Int8DotInterleaved SHAPE THREADS M,M,... ROUNDS");
      System.exit(2);
    }
    Shape shape = Shape.parse(args[0]);
    int threads = Integer.parseInt(args[1]);
    int[] rowCounts = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
    int rounds = Integer.parseInt(args[3]);
    FloatMatrix weight = new FloatMatrix("bench.weight", shape.rows(), shape.cols(),
        Inputs.gaussian(shape.rows() * shape.cols(), 0.02f));
    QuantizedWeights quantized = KernelFormat.INT8.quantize(weight);
    System.setProperty(KernelPlan.INT8_DOT_PROPERTY, "true");
    Linear integer = KernelFormat.INT8.linear("integer", weight, quantized, true);
    System.setProperty(KernelPlan.INT8_DOT_PROPERTY, "false");
    Linear floats = KernelFormat.INT8.linear("float", weight, quantized, true);
    try (KernelThreads pool = KernelThreads.create(threads)) {
      for (int m : rowCounts) {
        float[] x = Inputs.gaussian(m * shape.cols(), 1.0f);
        float[] y = new float[m * shape.rows()];
        long[] a = new long[rounds];
        long[] b = new long[rounds];
        for (int i = 0; i < 20; i++) {
          integer.forward(x, y, m, pool);
          floats.forward(x, y, m, pool);
        }
        for (int i = 0; i < rounds; i++) {
          long t0 = System.nanoTime();
          integer.forward(x, y, m, pool);
          long t1 = System.nanoTime();
          floats.forward(x, y, m, pool);
          a[i] = t1 - t0;
          b[i] = System.nanoTime() - t1;
        }
        Arrays.sort(a);
        Arrays.sort(b);
        System.out.printf(
            "%s threads %d m %d: integer min %.1f median %.1f us; float min %.1f median %.1f us;"
                + " float/integer min %.2f median %.2f%n",
            args[0], threads, m, a[0] / 1e3, a[rounds / 2] / 1e3,
            b[0] / 1e3, b[rounds / 2] / 1e3, (double) b[0] / a[0], (double) b[rounds / 2] / a[rounds / 2]);
      }
    }
  }
}
