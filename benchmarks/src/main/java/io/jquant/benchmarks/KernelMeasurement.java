package io.jquant.benchmarks;

/**
 * One kernel benchmark's result as JMH reported it: its parameters and its speed.
 *
 * @param opsPerSecond forward calls per second
 * @param bytesPerOp the layer's {@code weightBytes()}
 */
record KernelMeasurement(String format, String input, int m, int n, int k, int threads, String regime,
    double opsPerSecond, long bytesPerOp) {

  /** Weight bytes streamed per second, in GB/s (10⁹ bytes). */
  double gigabytesPerSecond() {
    return opsPerSecond * bytesPerOp / 1e9;
  }

  /** {@code 2·m·n·k} per call, in GFLOP/s. */
  double gigaflopsPerSecond() {
    return opsPerSecond * 2.0 * m * n * k / 1e9;
  }
}
