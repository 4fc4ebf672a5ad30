package io.jquant.runtime.quant.activation;

import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import java.util.Objects;

/**
 * {@link ActivationQuantizer#forConfig(QuantConfig, Float, MxScaleMode)}: a config's spec, as MAX reads it.
 */
final class ConfigActivationQuantizers {
  private ConfigActivationQuantizers() {}

  static ActivationQuantizer of(QuantConfig config, Float inputScale, MxScaleMode mxMode) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(mxMode, "mxMode");
    InputScaleSpec spec = config.inputScale();
    String where = "QuantConfig " + config.format().wireName() + " with " + spec.toRuleSpec()
        + " input scales";
    if (config.isStatic() && inputScale == null) {
      throw new IllegalArgumentException(
          where + " needs the layer's input_scale to quantize activations, and none was given");
    }
    if (config.isDynamic() && inputScale != null) {
      throw new IllegalArgumentException(where + " computes scales from each input; got an input_scale of "
          + inputScale + ", which only STATIC specs take");
    }
    return switch (config.format()) {
      case NVFP4 -> new Nvfp4ActivationQuantizer(inputScale, blockCols(spec, where));
      case MXFP4 -> new MxActivationQuantizer(MxElement.FP4_E2M1, mxMode, blockCols(spec, where));
      case MXFP8 -> new MxActivationQuantizer(MxElement.FP8_E4M3, mxMode, blockCols(spec, where));
      case INT8_W8A8 -> new DynamicGroupQuantizer(ActivationFormat.INT8, 0, upperBound(spec));
      case COMPRESSED_TENSORS_FP8, FBGEMM_FP8, BLOCKSCALED_FP8 -> fp8(spec, inputScale, where);
    };
  }

  private static ActivationQuantizer fp8(InputScaleSpec spec, Float inputScale, String where) {
    if (inputScale != null) {
      return new Fp8StaticQuantizer(inputScale);
    }
    Float ub = upperBound(spec);
    return switch (spec.granularity()) {
      case TENSOR -> new Fp8TensorQuantizer(ub);
      case COLWISE -> new DynamicGroupQuantizer(ActivationFormat.FP8_E4M3, 0, ub);
      case BLOCK -> new DynamicGroupQuantizer(ActivationFormat.FP8_E4M3, blockCols(spec, where), ub);
      case ROWWISE ->
        throw new IllegalArgumentException(where + ": ROWWISE input scales do not exist (per token"
            + " is COLWISE)");
    };
  }

  private static int blockCols(InputScaleSpec spec, String where) {
    if (!spec.isBlock()) {
      throw new IllegalArgumentException(where + ": block input scales expected");
    }
    return spec.blockSize().cols();
  }

  private static Float upperBound(InputScaleSpec spec) {
    return spec.activationScaleUb() == null ? null : spec.activationScaleUb().floatValue();
  }
}
