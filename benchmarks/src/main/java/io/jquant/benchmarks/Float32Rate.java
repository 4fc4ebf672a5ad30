package io.jquant.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof io.jquant.benchmarks.Float32Rate}) that adds a secondary result
 * {@code :float32} in GB/s (10⁹ bytes per second) to each throughput benchmark: the iteration's primary
 * score, summed over threads, times the float32 bytes one operation processes.
 *
 * <p>It converts the primary score rather than counting bytes in the benchmark (an {@code @AuxCounters}
 * field): JMH keeps calling the benchmark while threads wait for each other before and after the measured
 * window, and those calls would land in a counter but not in the time, overstating multi-threaded runs by up
 * to an operation per thread per iteration, which is a lot when one operation takes 100 ms.
 *
 * <p>The bytes of one operation come from the benchmark's size parameter: {@code floats} (a count) or
 * {@code shape} ({@code NxK}); each float counts 4 bytes.
 */
public final class Float32Rate implements InternalProfiler {
  @Override
  public String getDescription() {
    return "GB/s of float32 processed, from the throughput score and the size parameter";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {}

  @Override
  @SuppressWarnings("rawtypes") // JMH's interface declares the raw Result.
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long floats = floats(benchmarkParams);
    if (benchmarkParams.getMode() != Mode.Throughput || floats <= 0) {
      return List.of();
    }
    double opsPerSecond = result.getPrimaryResult().getScore()
        * TimeUnit.SECONDS.toNanos(1) / benchmarkParams.getTimeUnit().toNanos(1);
    double gigabytesPerSecond = opsPerSecond * floats * Float.BYTES / 1e9;
    return List.of(new ScalarResult("float32", gigabytesPerSecond, "GB/s", AggregationPolicy.AVG));
  }

  /** The floats one operation processes, or 0 when the benchmark has no size parameter. */
  static long floats(BenchmarkParams params) {
    String floats = params.getParam("floats");
    if (floats != null) {
      return Long.parseLong(floats);
    }
    String shape = params.getParam("shape");
    return shape == null ? 0 : Shape.parse(shape).floats();
  }
}
