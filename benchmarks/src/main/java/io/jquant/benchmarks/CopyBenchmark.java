package io.jquant.benchmarks;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The yardstick: {@code System.arraycopy} of {@code floats} float32 values, the fastest any pass over the
 * buffer can go on this machine. One operation copies the whole buffer; each thread copies its own.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-modules", "jdk.incubator.vector" })
@State(Scope.Thread)
public class CopyBenchmark {
  @Param({ Sizes.CACHE, Sizes.MEMORY })
  public int floats;

  private float[] src;
  private float[] dst;

  @Setup
  public void allocate() {
    src = Inputs.gaussian(floats, 1.0f);
    dst = new float[floats];
  }

  @Benchmark
  public float[] copy() {
    System.arraycopy(src, 0, dst, 0, floats);
    return dst;
  }
}
