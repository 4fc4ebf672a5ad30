package io.jquant.benchmarks;

/**
 * One line of the report: a kernel's speed in the metric that matters for its {@code m} and its fraction of
 * the machine's yardstick for that metric.
 *
 * @param metric {@code GB/s} (weight bytes streamed, m = 1) or {@code GFLOP/s} (m &gt; 1)
 * @param yardstick the streaming read of the same bytes, regime and threads, or the FMA loop on as many
 * threads, in the same unit; null when it was not measured
 * @param ratio value / yardstick, or null
 * @param vsFp32 how many times faster than the FP32 layer of the same shape, m, threads and regime (its time
 * over this one's), or null when FP32 was not measured
 */
record KernelRow(String format, String input, int m, int n, int k, int threads, String regime, String metric,
    double value, Double yardstick, Double ratio, Double vsFp32) {}
