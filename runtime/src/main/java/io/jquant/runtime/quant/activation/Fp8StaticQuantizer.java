package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.quant.FloatMatrix;

/**
 * FP8 E4M3 with a static per-tensor {@code input_scale} from the checkpoint:
 * {@code q = E4M3(x / input_scale)}, a float32 division per element, saturating at ±448 (docs/FORMATS.md
 * §4.6; vLLM's static kernel, modelopt). MAX's static kernel multiplies by {@code 1/input_scale} instead,
 * which can differ by one rounding.
 *
 * @param inputScale the dequantization scale, positive and finite
 */
record Fp8StaticQuantizer(float inputScale) implements ActivationQuantizer {
  Fp8StaticQuantizer {
    StaticScale.check(inputScale);
  }

  @Override
  public ActivationFormat format() {
    return ActivationFormat.FP8_E4M3;
  }

  @Override
  public QuantizedActivations quantize(FloatMatrix x) {
    int rows = x.rows();
    int cols = x.cols();
    byte[] codes = new byte[rows * cols];
    Fp8E4M3Bulk.encodeDivided(x.values(), 0, inputScale, codes, 0, codes.length);
    NanRows.mark(x.values(), codes, rows, cols);
    return new QuantizedActivations(x.name(), format(), rows, cols, rows, cols, 1, 1, codes,
        new float[] { inputScale }, new byte[0], 1.0f);
  }
}
