package io.jquant.runtime.kernel;

import io.jquant.runtime.quant.activation.ActivationFormat;
import io.jquant.runtime.quant.activation.QuantizedActivations;

/**
 * Activation rows quantized to NVFP4 (blocks of 16) or MXFP4 (blocks of 32) as {@link Fp4TableLanes}
 * multiplies them: per element, the offset of its code's product table; per block, the multiplier of the
 * block's integer sum {@code Σ 4 · w · x}: the block's dequantization scale (for NVFP4 times the global
 * scale, as {@link QuantizedActivations#dequantize} computes it) over 4 (over 8 for MXFP4, whose weight
 * scales decode at twice their value). A block holding NaN or Inf has a NaN scale, so NaN multiplier.
 *
 * @param mx whether MXFP4 (else NVFP4)
 * @param tableOffsets {@code rows · cols} offsets into {@link Fp4TableLanes#TABLES}, {@code 32 · code}
 * @param mults {@code rows · cols / block} multipliers
 */
record Fp4TableRows(boolean mx, int rows, int cols, int[] tableOffsets, float[] mults) {
  /**
   * The rows of FP4 activations with one scale per block of the weight's block size along K.
   *
   * @throws IllegalArgumentException for another format or grouping
   */
  static Fp4TableRows of(QuantizedActivations q, boolean mx) {
    int block = mx ? 32 : 16;
    ActivationFormat format = mx ? ActivationFormat.MXFP4 : ActivationFormat.NVFP4;
    if (q.format() != format || q.groupRows() != 1 || q.groupCols() != block || q.cols() % block != 0) {
      throw new IllegalArgumentException("activations " + q.name() + ": expected " + format
          + " in groups of 1 x " + block + " over whole blocks, got " + q.format() + " in groups of "
          + q.groupRows() + " x " + q.groupCols() + " over K = " + q.cols());
    }
    int rows = q.rows();
    int cols = q.cols();
    byte[] codes = q.codes();
    int[] offsets = new int[rows * cols];
    for (int i = 0; i < offsets.length; i += 2) {
      int pair = codes[i / 2];
      offsets[i] = (pair & 0xF) * 32;
      offsets[i + 1] = ((pair >>> 4) & 0xF) * 32;
    }
    float[] scales = q.scales();
    float[] mults = new float[scales.length];
    for (int i = 0; i < mults.length; i++) {
      mults[i] = mx ? scales[i] * 0.125f : scales[i] * q.globalScale() * 0.25f;
    }
    return new Fp4TableRows(mx, rows, cols, offsets, mults);
  }
}
