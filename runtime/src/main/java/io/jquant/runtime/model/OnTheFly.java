package io.jquant.runtime.model;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Kernels;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.QuantizedWeights;
import io.jquant.runtime.quant.WeightQuantizer;

/**
 * A float weight quantized at load as the config says ({@link WeightQuantizer#forConfig(QuantConfig)}) and
 * run by its format's kernel ({@link Kernels#linear}).
 *
 * <p>The FP4 and MX kernels need K to be a multiple of their block (16 for NVFP4, 32 for MXFP4 and MXFP8);
 * Llama's down_proj can have K = 172. Such a weight's rows are padded with zeros to the next multiple before
 * quantizing: zeros change neither a block's absmax nor NVFP4's per-tensor amax, so every scale and every
 * real element's code is the one a partial last block would get. The kernel is then wrapped in a
 * {@link PaddedLinear} that pads each input row the same way and reports the true K.
 */
final class OnTheFly {
  private OnTheFly() {}

  /**
   * The kernel of {@code weight}.
   *
   * @param weight the float32 weight, named by its tensor
   * @throws IllegalArgumentException naming the tensor, the element and its position for a non-finite value
   */
  static Linear linear(String module, FloatMatrix weight, QuantConfig config, InputActivations activations,
      float[] bias) {
    return linear(module, weight, config, activations, bias, null);
  }

  /**
   * Like {@link #linear(String, FloatMatrix, QuantConfig, InputActivations, float[])}, NVFP4 with a given
   * tensor amax (a fused group's, at least {@code max|W|}) instead of the weight's own.
   *
   * @param nvfp4Amax the amax {@code weight_scale_2} is computed from, or null for {@code max|W|}
   */
  static Linear linear(String module, FloatMatrix weight, QuantConfig config, InputActivations activations,
      float[] bias, Float nvfp4Amax) {
    weight.requireFinite();
    int block = kBlock(config);
    int padded = Math.ceilDiv(weight.cols(), block) * block;
    WeightQuantizer quantizer = nvfp4Amax == null ? WeightQuantizer.forConfig(config, InputQuantizers.MX_MODE)
        : m -> new Nvfp4Quantizer().quantize(m, nvfp4Amax);
    if (padded == weight.cols()) {
      return Kernels.linear(module, quantizer.quantize(weight), activations, bias);
    }
    QuantizedWeights quantized = quantizer.quantize(pad(weight, padded));
    return new PaddedLinear(Kernels.linear(module, quantized, activations, bias), weight.cols());
  }

  /** The multiple of K a format's kernel needs. */
  static int kBlock(QuantConfig config) {
    return switch (config.format()) {
      case NVFP4 -> Nvfp4Weights.BLOCK;
      case MXFP4, MXFP8 -> MxWeights.BLOCK;
      default -> 1;
    };
  }

  /** {@code weight} with each row extended by zeros to {@code cols} columns. */
  static FloatMatrix pad(FloatMatrix weight, int cols) {
    float[] values = new float[Math.multiplyExact(weight.rows(), cols)];
    for (int r = 0; r < weight.rows(); r++) {
      System.arraycopy(weight.values(), r * weight.cols(), values, r * cols, weight.cols());
    }
    return new FloatMatrix(weight.name(), weight.rows(), cols, values);
  }
}
