package io.jquant.benchmarks;

import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.Fp32Linear;
import io.jquant.runtime.kernel.KernelThreads;
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
 * The cost of handing a forward call's chunks to the {@link KernelThreads} workers and waiting for them, in
 * microseconds per call: what a small layer (MiniLM's 384x384 at a sentence of 16 tokens takes ~30 µs) pays
 * to use a second thread. {@code empty} runs chunks that do nothing (the pure hand-off); {@code spin20us}
 * chunks that busy-wait in proportion to their columns, 20 µs in all (10 µs a chunk on 2 threads), so the
 * score minus 20 µs / threads is the overhead; {@code linear} is a real {@link Fp32Linear} 384x384 forward of
 * 16 rows. Run JMH itself with one thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { Jvm.ADD_MODULES, Jvm.VECTOR, Jvm.HEAP })
@State(Scope.Thread)
public class KernelThreadsBenchmark {
  private static final int COLUMNS = 384;
  private static final int ALIGN = 16;
  private static final long SPIN_NANOS = 20_000;
  private static final int ROWS = 16;

  @Param({ "1", "2" })
  public int threads;

  private KernelThreads kernelThreads;
  private Linear linear;
  private float[] x;
  private float[] y;

  @Setup
  public void prepare() {
    kernelThreads = KernelThreads.create(threads);
    float[] weight = Inputs.gaussian(COLUMNS * COLUMNS, 0.02f);
    linear = new Fp32Linear("bench.linear", weight, null, COLUMNS, COLUMNS);
    x = Inputs.gaussian(ROWS * COLUMNS, 1.0f);
    y = new float[ROWS * COLUMNS];
  }

  @TearDown
  public void close() {
    kernelThreads.close();
  }

  @Benchmark
  public void empty() {
    kernelThreads.forEachChunk(COLUMNS, ALIGN, (from, to) -> {});
  }

  @Benchmark
  public void spin20us() {
    kernelThreads.forEachChunk(COLUMNS, ALIGN, (from, to) -> {
      // Wall-clock busy work, so the chunk lasts as long on every machine whatever the JIT makes of it.
      long end = System.nanoTime() + SPIN_NANOS * (to - from) / COLUMNS;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    });
  }

  @Benchmark
  public float[] linear() {
    linear.forward(x, y, ROWS, kernelThreads);
    return y;
  }
}
