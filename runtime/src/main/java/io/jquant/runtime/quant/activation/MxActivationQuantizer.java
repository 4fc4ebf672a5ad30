package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.numerics.E8M0;
import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.FloatMatrix;

/**
 * MX activations (docs/FORMATS.md §3.2, §3.3): per block of {@code blockCols} (32) elements along K, the E8M0
 * byte {@code b = mode.scaleByte(amax_b, element)}, then {@code P = convert(x · 2^-(b-127))} with RNE and
 * saturation (a multiply by the exact power of two, as torchao and MAX do). A block holding NaN or Inf gets
 * byte 0xFF (NaN) and the codes of NaN (E4M3 0x7F; E2M1 has no NaN and gives 0x7), so it dequantizes to NaN;
 * an all-zero block gets byte 0 (2^-127) and zero codes.
 *
 * <p>The mode is a parameter: RCEIL is jquant's default (cuBLAS, MAX's MXFP8), MAX's MXFP4 activations use
 * EVEN.
 *
 * @param element {@link MxElement#FP4_E2M1} (MXFP4) or {@link MxElement#FP8_E4M3} (MXFP8)
 * @param mode how the shared scale is chosen
 * @param blockCols the block size along K, 32 for MX
 */
record MxActivationQuantizer(MxElement element, MxScaleMode mode, int blockCols)
    implements ActivationQuantizer {
  MxActivationQuantizer {
    if (element != MxElement.FP4_E2M1 && element != MxElement.FP8_E4M3) {
      throw new IllegalArgumentException(
          "MX activations are FP4_E2M1 (MXFP4) or FP8_E4M3 (MXFP8), not " + element);
    }
    if (mode == null) {
      throw new IllegalArgumentException("an MX scale mode is required");
    }
    if (blockCols <= 0 || blockCols % 2 != 0) {
      throw new IllegalArgumentException("MX blocks along K must be even and positive, got " + blockCols);
    }
  }

  @Override
  public ActivationFormat format() {
    return element == MxElement.FP4_E2M1 ? ActivationFormat.MXFP4 : ActivationFormat.MXFP8;
  }

  @Override
  public QuantizedActivations quantize(FloatMatrix x) {
    int rows = x.rows();
    int cols = x.cols();
    int groups = Math.ceilDiv(cols, blockCols);
    int rowBytes = format().codeBytesPerRow(cols);
    float[] values = x.values();
    byte[] codes = new byte[rows * rowBytes];
    float[] scales = new float[rows * groups];
    byte[] scaleCodes = new byte[rows * groups];
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        int start = g * blockCols;
        int length = Math.min(blockCols, cols - start);
        int src = r * cols + start;
        int b = mode.scaleByte(AbsMax.of(values, src, length), element);
        float multiplier = E8M0.decode(E8M0.reciprocal(b));
        scaleCodes[r * groups + g] = (byte) b;
        scales[r * groups + g] = E8M0.decode(b);
        if (element == MxElement.FP4_E2M1) {
          Fp4E2M1Bulk.encodeMultiplied(values, src, multiplier, codes, r * rowBytes + start / 2, length);
        } else {
          Fp8E4M3Bulk.encodeMultiplied(values, src, multiplier, codes, r * rowBytes + start, length);
        }
      }
    }
    return new QuantizedActivations(x.name(), format(), rows, cols, 1, blockCols, rows, groups, codes, scales,
        scaleCodes, 1.0f);
  }
}
