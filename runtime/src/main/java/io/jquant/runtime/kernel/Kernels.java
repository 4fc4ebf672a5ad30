package io.jquant.runtime.kernel;

import io.jquant.runtime.Linear;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.quant.Fp8Weights;
import io.jquant.runtime.quant.Int8Weights;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import java.util.Objects;

/** The {@link Linear} that runs a quantized weight: one kernel per format, over the weight's packed bytes. */
public final class Kernels {
  private Kernels() {}

  /**
   * The format's kernel over {@code weights}' packed bytes (shared, not copied): {@link Nvfp4Linear},
   * {@link Mxfp4Linear}, {@link Mxfp8Linear}, {@link Fp8Linear} (tensor, row or block scales) or
   * {@link Int8Linear}.
   *
   * @param layer the layer name used in errors
   * @param activations weight-only, or the activation quantizer of the layer's input scale spec
   * @param bias {@code weights.rows()} values, or null
   * @throws IllegalArgumentException naming the layer for a weight no kernel runs (an MX element other than
   * FP4 E2M1 and FP8 E4M3)
   */
  public static Linear linear(String layer, QuantizedWeights weights, InputActivations activations,
      float[] bias) {
    Objects.requireNonNull(weights, "weights");
    return switch (weights) {
      case Nvfp4Weights w -> Nvfp4Linear.of(layer, w, activations, bias);
      case MxWeights w when w.element() == MxElement.FP4_E2M1 -> Mxfp4Linear.of(layer, w, activations, bias);
      case MxWeights w when w.element() == MxElement.FP8_E4M3 -> Mxfp8Linear.of(layer, w, activations, bias);
      case Fp8Weights w -> Fp8Linear.of(layer, w, activations, bias);
      case Int8Weights w -> Int8Linear.of(layer, w, activations, bias);
      default -> throw new IllegalArgumentException("layer " + layer + ": no kernel runs " + weights);
    };
  }
}
