package io.jquant.runtime.kernel;

import io.jquant.runtime.quant.activation.ActivationFormat;

/**
 * What {@link Nvfp4Linear} and {@link Mxfp4Linear} share: both run an {@link Fp4Kernel} (the packed E2M1
 * codes and their block scales) and differ only in how they read their scales from a checkpoint.
 *
 * <p>A W4A4 layer (activations quantized to the weight's own FP4 format and block) on AVX-512 also keeps its
 * weight repacked for the exact table GEMV ({@link Fp4TableWeights}) and runs up to
 * {@link KernelPlan#FP4_TABLE_MAX_ROWS} rows on it, unless {@link KernelPlan#FP4_TABLE_PROPERTY} is
 * {@code false} when the layer is built or its scales are outside that kernel's exact range. Such a layer
 * holds the weight twice: the repacked copy (off-heap, 4 bits per weight and a byte per block, like the
 * checkpoint) for small batches and the checkpoint's layout (in place when the checkpoint is mapped) for the
 * float GEMM of larger ones.
 */
abstract class Fp4Linear extends PackedLinear {
  final Fp4Kernel kernel;
  /** The repacked weight of the table GEMV, or null. */
  private final Fp4TableWeights table;

  Fp4Linear(String name, Fp4Kernel kernel, InputActivations activations, float[] bias) {
    super(name, kernel.rows(), kernel.cols(), bias, activations);
    this.kernel = kernel;
    this.table = kernel.vector() && KernelPlan.current().fp4TableLanes()
        && !"false".equals(System.getProperty(KernelPlan.FP4_TABLE_PROPERTY))
        && activations.isBlocks(kernel.mx() ? ActivationFormat.MXFP4 : ActivationFormat.NVFP4,
            kernel.block(), kernel.cols()) ? kernel.tableWeights() : null;
  }

  /** The tiles the GEMM path multiplies, for tests. */
  final WeightPanels panels() {
    return kernel;
  }

  /** Whether this layer runs the exact W4A4 table GEMV for small batches. */
  final boolean tableGemv() {
    return table != null;
  }

  /**
   * The bytes a small batch streams: the packed codes and block scales, in the table GEMV's layout when the
   * layer has one (the same size, plus the padding of a row count off 64).
   */
  @Override
  public final long weightBytes() {
    return table == null ? kernel.weightBytes() : table.bytes();
  }

  @Override
  final Object prepare(float[] x, int rows) {
    if (table != null && rows <= KernelPlan.FP4_TABLE_MAX_ROWS) {
      return Fp4TableRows.of(activations().quantize(name(), x, rows, inFeatures()), kernel.mx());
    }
    return kernel.prepare((float[]) super.prepare(x, rows), rows);
  }

  @Override
  final void computeColumns(Object prepared, int rows, int from, int to, float[] y, int yOffset,
      int yStride) {
    if (prepared instanceof Fp4TableRows codes) {
      table.gemv(codes, from, to, y, yOffset, yStride);
    } else {
      kernel.computeColumns(prepared, rows, from, to, y, yOffset, yStride);
    }
  }

  /** Groups of 64 rows for the table GEMV, so that no group is split between threads. */
  @Override
  final int columnAlign() {
    return table != null ? Fp4TableLanes.GROUP : super.columnAlign();
  }

  /** Also only between two layers on the same kernel: the table GEMV prepares codes, the other values. */
  @Override
  final boolean sharesPrepareWith(PackedLinear other) {
    return super.sharesPrepareWith(other) && other instanceof Fp4Linear fp4
        && fp4.tableGemv() == tableGemv() && fp4.kernel.mx() == kernel.mx();
  }
}
