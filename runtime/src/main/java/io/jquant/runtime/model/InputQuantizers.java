package io.jquant.runtime.model;

import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.activation.ActivationQuantizer;

/**
 * The activation quantizer of a quantized layer. MX shared scales are chosen by {@link MxScaleMode#RCEIL},
 * jquant's default, as {@link io.jquant.runtime.quant.WeightQuantizer#forConfig(QuantConfig)} chooses weight
 * scales.
 */
final class InputQuantizers {
  static final MxScaleMode MX_MODE = MxScaleMode.RCEIL;

  private InputQuantizers() {}

  /**
   * {@link ActivationQuantizer#forConfig(QuantConfig, Float, MxScaleMode)} when the spec's scale is at hand
   * (a DYNAMIC spec, or a STATIC one with the layer's {@code input_scale}); for a STATIC spec without one,
   * the dynamic quantizer of the same granularity (see {@link #dynamic}).
   */
  static ActivationQuantizer of(QuantConfig config, Float inputScale) {
    if (config.isStatic() && inputScale == null) {
      return dynamic(config);
    }
    return ActivationQuantizer.forConfig(config, inputScale, MX_MODE);
  }

  /**
   * The per-call form of a STATIC spec, for a checkpoint with no calibrated {@code input_scale} (a float one,
   * or one {@code jquant quantize} wrote): NVFP4 takes its per-tensor scale from each input
   * ({@code amax/(6·448)}, then the same 16-blocks); FP8 computes per call one scale for the tensor (TENSOR,
   * as a static scale covers), per token (COLWISE) or per K block (BLOCK), with the spec's upper bound; MX
   * and INT8 are dynamic already.
   */
  static ActivationQuantizer dynamic(QuantConfig config) {
    InputScaleSpec spec = config.inputScale();
    Float ub = spec.activationScaleUb() == null ? null : spec.activationScaleUb().floatValue();
    return switch (config.format()) {
      case NVFP4 -> ActivationQuantizer.nvfp4Dynamic();
      case MXFP4 -> ActivationQuantizer.mx(MxElement.FP4_E2M1, MX_MODE);
      case MXFP8 -> ActivationQuantizer.mx(MxElement.FP8_E4M3, MX_MODE);
      case INT8_W8A8 -> ActivationQuantizer.int8PerToken();
      case COMPRESSED_TENSORS_FP8, FBGEMM_FP8, BLOCKSCALED_FP8 -> switch (spec.granularity()) {
        case COLWISE -> ActivationQuantizer.fp8DynamicPerToken(ub);
        case BLOCK -> ActivationQuantizer.fp8DynamicBlocks(spec.blockSize().cols(), ub);
        default -> ActivationQuantizer.fp8DynamicPerTensor(ub);
      };
    };
  }
}
