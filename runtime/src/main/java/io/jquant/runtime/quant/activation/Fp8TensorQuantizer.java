package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.quant.FloatMatrix;

/**
 * FP8 E4M3 with one dynamic scale for the whole tensor: {@code amax} over the tensor's finite values, then
 * {@link DynamicScale} ({@code scale = min(amax, ub)/448}, {@code q = E4M3(x · 448/amax')}, inverse 0 for an
 * all-zero tensor). Rows holding NaN or Inf get NaN codes ({@link NanRows}).
 *
 * @param upperBound FBGEMM's {@code activation_scale_ub}, or null for none
 */
record Fp8TensorQuantizer(Float upperBound) implements ActivationQuantizer {
  Fp8TensorQuantizer {
    DynamicScale.checkUpperBound(upperBound);
  }

  @Override
  public ActivationFormat format() {
    return ActivationFormat.FP8_E4M3;
  }

  @Override
  public QuantizedActivations quantize(FloatMatrix x) {
    int rows = x.rows();
    int cols = x.cols();
    float amax = DynamicScale.bounded(FiniteAbsMax.of(x.values()), upperBound);
    float scale = DynamicScale.scale(amax, Fp8E4M3.MAX);
    float inverse = DynamicScale.inverse(amax, Fp8E4M3.MAX);
    byte[] codes = new byte[rows * cols];
    Fp8E4M3Bulk.encodeMultiplied(x.values(), 0, inverse, codes, 0, codes.length);
    NanRows.mark(x.values(), codes, rows, cols);
    return new QuantizedActivations(x.name(), format(), rows, cols, rows, cols, 1, 1, codes,
        new float[] { scale }, new byte[0], 1.0f);
  }
}
