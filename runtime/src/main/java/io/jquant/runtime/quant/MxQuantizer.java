package io.jquant.runtime.quant;

import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.numerics.E8M0;
import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.numerics.Fp8E5M2Bulk;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import java.util.Objects;

/**
 * Quantizes a weight to MXFP4 or MXFP8 (docs/FORMATS.md §3): per 32 elements along K, the scale byte
 * {@code b = mode.scaleByte(amax_b, element)}, then {@code P = element(w · 2^-(b-127))}, a multiplication by
 * the exact reciprocal power of two (torchao and MAX), rounding to nearest even with saturation.
 *
 * <p>An all-zero block gets scale 0x00 (2^-127) and zero data, as every reference does. Elements always
 * saturate: FP4 and E4M3 do in their codecs; E5M2, whose codec overflows to Inf as torch's does, is clamped
 * to ±57344 here, which only FLOOR scales can need. The quantizer refuses non-finite weights, so it never
 * writes scale 255.
 */
public final class MxQuantizer implements WeightQuantizer {
  private final MxElement element;
  private final MxScaleMode mode;

  /** An MX quantizer with the default shared-scale rule, {@link MxScaleMode#RCEIL}. */
  public MxQuantizer(MxElement element) {
    this(element, MxScaleMode.RCEIL);
  }

  /** An MX quantizer with the given element type and shared-scale rule. */
  public MxQuantizer(MxElement element, MxScaleMode mode) {
    this.element = Objects.requireNonNull(element, "element");
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** The element type. */
  public MxElement element() {
    return element;
  }

  /** The shared-scale rule. */
  public MxScaleMode mode() {
    return mode;
  }

  @Override
  public MxWeights quantize(FloatMatrix weight) {
    QuantChecks.requireShaped(weight);
    int rows = weight.rows();
    int cols = weight.cols();
    float[] values = weight.values();
    int dataRow = MxWeights.dataCols(element, cols);
    int scaleRow = MxWeights.scaleCols(cols);
    byte[] data = new byte[rows * dataRow];
    byte[] scales = new byte[rows * scaleRow];
    // One row at a time, so the encoding finds the row still in cache: its block maxima, which also check
    // that it is finite, become the scale bytes and the multipliers, and one call encodes the row.
    float[] multipliers = new float[scaleRow];
    for (int r = 0; r < rows; r++) {
      int in = r * cols;
      AbsMax.ofBlocks(values, in, cols, MxWeights.BLOCK, multipliers, 0);
      for (int b = 0; b < scaleRow; b++) {
        float amax = multipliers[b];
        QuantChecks.requireFinite(weight, amax);
        int scale = mode.scaleByte(amax, element);
        scales[r * scaleRow + b] = (byte) scale;
        multipliers[b] = E8M0.decode(E8M0.reciprocal(scale)); // 2^-(b-127), exact
      }
      int out = r * dataRow;
      switch (element) {
        case FP4_E2M1 ->
          Fp4E2M1Bulk.encodeBlocksMultiplied(values, in, cols, MxWeights.BLOCK, multipliers, 0, data, out);
        case FP8_E4M3 ->
          Fp8E4M3Bulk.encodeBlocksMultiplied(values, in, cols, MxWeights.BLOCK, multipliers, 0, data, out);
        case FP8_E5M2 -> {
          for (int b = 0; b < scaleRow; b++) {
            int start = b * MxWeights.BLOCK;
            Fp8E5M2Bulk.encodeMultiplied(values, in + start, multipliers[b], data, out + start,
                Math.min(MxWeights.BLOCK, cols - start));
          }
          saturateE5m2(data, out, cols);
        }
      }
    }
    return new MxWeights(weight.name(), rows, cols, element, data, scales);
  }

  /**
   * Turns ±Inf codes into ±57344 (0x7B / 0xFB). The inputs were finite, so an Inf code is an overflow, and
   * saturating it is what rounding with saturation gives.
   */
  private static void saturateE5m2(byte[] data, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if ((data[i] & 0x7F) == 0x7C) {
        data[i] = (byte) (data[i] - 1);
      }
    }
  }
}
