package io.jquant.benchmarks;

import java.util.ArrayList;
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
 * A JMH profiler ({@code -prof io.jquant.benchmarks.KernelRate}) for the kernel benchmarks and their
 * yardsticks: from the throughput score and what the benchmark's setup {@linkplain PerOp#publish published}
 * it adds {@code :GB/s} (bytes streamed per second, 10⁹ bytes), {@code :GFLOP/s} and {@code :bytes/op} (the
 * bytes one operation streams, which the runner needs to size the read yardstick).
 *
 * <p>Like {@link Float32Rate} it converts the primary score instead of counting in the benchmark, so work
 * done outside the measured window is never counted.
 */
public final class KernelRate implements InternalProfiler {
  static final String RATE = "GB/s";
  static final String FLOPS = "GFLOP/s";
  static final String BYTES = "bytes/op";

  @Override
  public String getDescription() {
    return "GB/s streamed and GFLOP/s, from the throughput score and the sizes the benchmark published";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {}

  @Override
  @SuppressWarnings("rawtypes") // JMH's interface declares the raw Result.
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    if (benchmarkParams.getMode() != Mode.Throughput) {
      return List.of();
    }
    double opsPerSecond = result.getPrimaryResult().getScore()
        * TimeUnit.SECONDS.toNanos(1) / benchmarkParams.getTimeUnit().toNanos(1);
    List<Result> rates = new ArrayList<>(3);
    long bytes = PerOp.bytes();
    double flops = PerOp.flops();
    if (bytes > 0) {
      rates.add(new ScalarResult(RATE, opsPerSecond * bytes / 1e9, "GB/s", AggregationPolicy.AVG));
      rates.add(new ScalarResult(BYTES, bytes, "B", AggregationPolicy.AVG));
    }
    if (flops > 0) {
      rates.add(new ScalarResult(FLOPS, opsPerSecond * flops / 1e9, "GFLOP/s", AggregationPolicy.AVG));
    }
    return rates;
  }
}
