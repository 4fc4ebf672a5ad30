package io.jquant.benchmarks;

import io.jquant.runtime.Linear;
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
 * One {@link Linear#forward} of {@code m} rows through a weight {@code [N, K]} of each format: m = 1 is the
 * decode GEMV (memory-bound: judge it in weight GB/s against {@link ReadYardstick}), m = 64 a prefill GEMM
 * (compute-bound: judge it in GFLOP/s against {@link FmaYardstick}). Quantized layers come from
 * {@code Kernels.linear}, so the benchmark measures whatever kernels the runtime has. {@code regime} cold
 * cycles through distinct copies of the weight totalling more than 1 GiB of {@code weightBytes()}, one per
 * operation; hot reuses one. The forward call splits its columns over {@code threads} kernel threads; run JMH
 * itself with one thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { Jvm.ADD_MODULES, Jvm.VECTOR, Jvm.HEAP, Jvm.UNSAFE })
@State(Scope.Thread)
public class KernelBenchmark {
  /** Every format unless {@code -p format=...} picks some. */
  @Param
  public KernelFormat format;

  /** The attention projection of a 7B model and its MLP's up/gate projection. */
  @Param({ "4096x4096", "11008x4096" })
  public String shape;

  @Param({ "1", "64" })
  public int m;

  @Param({ "hot", "cold" })
  public String regime;

  @Param({ "1", "2" })
  public int threads;

  /** {@code f32}: weight-only; {@code quantized}: the format's activation quantizer runs in every call. */
  @Param({ "f32" })
  public String input;

  private Linear[] pool;
  private KernelThreads kernelThreads;
  private float[] x;
  private float[] y;
  private int next;

  @Setup
  public void prepare() {
    Shape s = Shape.parse(shape);
    boolean quantizedInput = Inputs.parseInput(input);
    // A standard deviation of 0.02, as transformer weights are initialised.
    FloatMatrix weight = new FloatMatrix("bench.weight", s.rows(), s.cols(),
        Inputs.gaussian(s.rows() * s.cols(), 0.02f));
    QuantizedWeights quantized = format.quantize(weight);
    Linear first = format.linear("bench.0", weight, quantized, quantizedInput);
    pool = new Linear[Regime.parse(regime).buffers(first.weightBytes())];
    pool[0] = first;
    for (int i = 1; i < pool.length; i++) {
      pool[i] = format.linear("bench." + i, weight, quantized, quantizedInput);
    }
    kernelThreads = KernelThreads.create(threads);
    x = Inputs.gaussian(m * s.cols(), 1.0f);
    y = new float[m * s.rows()];
    PerOp.publish(first.weightBytes(), 2.0 * m * s.rows() * s.cols());
  }

  @TearDown
  public void close() {
    kernelThreads.close();
  }

  @Benchmark
  public float[] forward() {
    Linear layer = pool[next];
    next = next + 1 == pool.length ? 0 : next + 1;
    layer.forward(x, y, m, kernelThreads);
    return y;
  }
}
