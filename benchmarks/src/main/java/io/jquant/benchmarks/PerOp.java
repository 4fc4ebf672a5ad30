package io.jquant.benchmarks;

/**
 * What one operation of the running benchmark moves and computes, published by its setup for
 * {@link KernelRate}: JMH runs each benchmark's trial in its own forked JVM and calls internal profilers in
 * that JVM, so a static is the simplest way to hand over numbers that only the built state knows (a
 * {@code Linear}'s {@code weightBytes()}).
 */
final class PerOp {
  private PerOp() {}

  private static volatile long bytes;
  private static volatile double flops;

  /**
   * Called by a benchmark's trial setup: the bytes one operation streams and its floating-point operations.
   */
  static void publish(long bytesPerOp, double flopsPerOp) {
    bytes = bytesPerOp;
    flops = flopsPerOp;
  }

  static long bytes() {
    return bytes;
  }

  static double flops() {
    return flops;
  }
}
