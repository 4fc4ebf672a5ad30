package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.numerics.Int8;
import io.jquant.runtime.numerics.Int8Bulk;
import io.jquant.runtime.quant.FloatMatrix;

/**
 * Dynamic scales per token or per {@code 1 x blockCols} block along K, for FP8 E4M3 (FBGEMM's and MAX's
 * per-token quantizer, block-FP8's 1x128 groups) or INT8 (vLLM's and MAX's per-token W8A8 quantizer). Per
 * group, in float32: {@code amax' = min(amax, ub)} (ub only if set), {@code scale = amax'/qmax},
 * {@code inverse = qmax/amax'} or 0 ({@link DynamicScale}), {@code q = cast(x · inverse)} with saturation
 * (±448 for E4M3, [-128, 127] with ties to even for INT8). A group holding NaN or Inf gets a NaN scale.
 *
 * @param format {@link ActivationFormat#FP8_E4M3} (qmax 448) or {@link ActivationFormat#INT8} (qmax 127)
 * @param blockCols the group width along K, or 0 for one group per row (per token)
 * @param upperBound the bound on amax, or null for none
 */
record DynamicGroupQuantizer(ActivationFormat format, int blockCols, Float upperBound)
    implements ActivationQuantizer {
  DynamicGroupQuantizer {
    if (format != ActivationFormat.FP8_E4M3 && format != ActivationFormat.INT8) {
      throw new IllegalArgumentException("dynamic per-group scales are for FP8_E4M3 or INT8, not " + format);
    }
    if (blockCols < 0) {
      throw new IllegalArgumentException("block size along K must be positive (or 0 for per token), got "
          + blockCols);
    }
    DynamicScale.checkUpperBound(upperBound);
  }

  @Override
  public QuantizedActivations quantize(FloatMatrix x) {
    int rows = x.rows();
    int cols = x.cols();
    int groupCols = blockCols == 0 ? cols : blockCols;
    int groups = blockCols == 0 ? 1 : Math.ceilDiv(cols, blockCols);
    float qmax = format == ActivationFormat.FP8_E4M3 ? Fp8E4M3.MAX : Int8.MAX;
    float[] values = x.values();
    byte[] codes = new byte[rows * cols];
    float[] scales = new float[rows * groups];
    for (int r = 0; r < rows; r++) {
      for (int g = 0; g < groups; g++) {
        int start = r * cols + g * groupCols;
        int length = Math.min(groupCols, cols - g * groupCols);
        float amax = DynamicScale.bounded(AbsMax.of(values, start, length), upperBound);
        scales[r * groups + g] = DynamicScale.scale(amax, qmax);
        float inverse = DynamicScale.inverse(amax, qmax);
        if (format == ActivationFormat.FP8_E4M3) {
          Fp8E4M3Bulk.encodeMultiplied(values, start, inverse, codes, start, length);
        } else {
          Int8Bulk.encodeMultiplied(values, start, inverse, codes, start, length);
        }
      }
    }
    return new QuantizedActivations(x.name(), format, rows, cols, 1, groupCols, rows, groups, codes, scales,
        new byte[0], 1.0f);
  }
}
