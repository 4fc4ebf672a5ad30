package io.jquant.runtime;

import io.jquant.runtime.kernel.KernelThreads;

/**
 * A linear layer {@code y = x·Wᵀ (+ bias)} with {@code W} of shape {@code [outFeatures, inFeatures]}, applied
 * to {@code rows} activation rows at once. The quantized formats implement it over packed weights (package
 * {@code io.jquant.runtime.kernel}); {@link io.jquant.runtime.kernel.Fp32Linear} is the float32 one.
 */
public interface Linear {
  /** The layer's name (e.g. {@code model.layers.0.mlp.down_proj}), used in every error about it. */
  String name();

  /** K: the length of an input row. */
  int inFeatures();

  /** N: the length of an output row. */
  int outFeatures();

  /** The bytes of weight storage (packed values and their scales) one forward call reads. */
  long weightBytes();

  /**
   * Computes {@code rows} output rows from {@code rows} input rows, both row-major, splitting the output
   * columns over {@code threads}. The result does not depend on the thread count.
   *
   * @param x at least {@code rows · inFeatures()} values
   * @param y receives {@code rows · outFeatures()} values
   * @throws IllegalArgumentException naming the layer when x or y is too short
   */
  void forward(float[] x, float[] y, int rows, KernelThreads threads);

  /** {@link #forward(float[], float[], int, KernelThreads)} in the calling thread. */
  default void forward(float[] x, float[] y, int rows) {
    forward(x, y, rows, KernelThreads.single());
  }
}
