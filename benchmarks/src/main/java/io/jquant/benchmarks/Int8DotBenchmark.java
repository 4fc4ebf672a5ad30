package io.jquant.benchmarks;

import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelPlan;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.QuantizedWeights;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * INT8 W8A8 (per-token int8 activations, quantized in every call, times per-row int8 weights), one
 * {@link Linear#forward} of {@code m} rows, hot weight: the exact integer kernel ({@code kernel=integer})
 * against the float kernel it replaces ({@code kernel=float}, the layer built with
 * {@link KernelPlan#INT8_DOT_PROPERTY} false), in one JMH run. Rows above the integer kernel's limit run the
 * float GEMM either way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { Jvm.ADD_MODULES, Jvm.VECTOR, Jvm.HEAP, Jvm.UNSAFE })
@State(Scope.Thread)
public class Int8DotBenchmark {
  @Param({ "integer", "float" })
  public String kernel;

  @Param({ "4096x4096", "11008x4096" })
  public String shape;

  @Param({ "1", "64" })
  public int m;

  @Param({ "1", "2" })
  public int threads;

  private Linear layer;
  private KernelThreads kernelThreads;
  private float[] x;
  private float[] y;

  @Setup
  public void prepare() {
    Shape s = Shape.parse(shape);
    FloatMatrix weight = new FloatMatrix("bench.weight", s.rows(), s.cols(),
        Inputs.gaussian(s.rows() * s.cols(), 0.02f));
    QuantizedWeights quantized = KernelFormat.INT8.quantize(weight);
    System.setProperty(KernelPlan.INT8_DOT_PROPERTY, Boolean.toString(kernel.equals("integer")));
    layer = KernelFormat.INT8.linear("bench.0", weight, quantized, true);
    kernelThreads = KernelThreads.create(threads);
    x = Inputs.gaussian(m * s.cols(), 1.0f);
    y = new float[m * s.rows()];
  }

  @TearDown
  public void close() {
    kernelThreads.close();
  }

  @Benchmark
  public float[] forward() {
    layer.forward(x, y, m, kernelThreads);
    return y;
  }
}
