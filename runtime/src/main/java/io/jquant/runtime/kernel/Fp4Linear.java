package io.jquant.runtime.kernel;

/**
 * What {@link Nvfp4Linear} and {@link Mxfp4Linear} share: both run an {@link Fp4Kernel} (the packed E2M1
 * codes and their block scales) and differ only in how they read their scales from a checkpoint.
 */
abstract class Fp4Linear extends PackedLinear {
  final Fp4Kernel kernel;

  Fp4Linear(String name, Fp4Kernel kernel, InputActivations activations, float[] bias) {
    super(name, kernel.rows(), kernel.cols(), bias, activations);
    this.kernel = kernel;
  }

  /** The tiles the GEMM path multiplies, for tests. */
  final WeightPanels panels() {
    return kernel;
  }

  /** The packed bytes and the block scales. */
  @Override
  public final long weightBytes() {
    return kernel.weightBytes();
  }

  @Override
  final Object prepare(float[] x, int rows) {
    return kernel.prepare((float[]) super.prepare(x, rows), rows);
  }

  @Override
  final void computeColumns(Object prepared, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    kernel.computeColumns(prepared, rows, from, to, y, yOffset, yStride);
  }
}
