package io.jquant.runtime.kernel;

import io.jquant.runtime.Fp32Linear;
import io.jquant.runtime.Linear;
import io.jquant.runtime.quant.QuantizedWeights;

/** The {@link Linear} that runs a quantized weight: one kernel per format. */
public final class Kernels {
  private Kernels() {}

  /**
   * The format's kernel over {@code weights}' packed bytes.
   *
   * @param layer the layer name used in errors
   * @param bias {@code weights.rows()} values, or null
   */
  public static Linear linear(String layer, QuantizedWeights weights, InputActivations activations, float[] bias) {
    // PLACEHOLDER until the format kernels are merged: dequantizes the whole weight (what kernels must not do).
    return new Fp32Linear(layer, weights.dequantize().values(), bias, weights.rows(), weights.cols());
  }
}
