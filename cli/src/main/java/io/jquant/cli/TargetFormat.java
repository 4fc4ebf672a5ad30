package io.jquant.cli;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.numerics.MxScaleMode;
import io.jquant.runtime.quant.Fp8Quantizer;
import io.jquant.runtime.quant.Int8Quantizer;
import io.jquant.runtime.quant.MxQuantizer;
import io.jquant.runtime.quant.MxWeights;
import io.jquant.runtime.quant.Nvfp4Quantizer;
import io.jquant.runtime.quant.Nvfp4Weights;
import io.jquant.runtime.quant.WeightQuantizer;
import java.util.Arrays;
import java.util.Set;

/**
 * The formats {@code jquant quantize --format} writes, each with its runtime quantizer, the block its K must
 * fill, and the MAX format whose checkpoint layout it writes.
 */
enum TargetFormat {
  NVFP4("nvfp4", QuantFormat.NVFP4, Nvfp4Weights.BLOCK),
  MXFP4("mxfp4", QuantFormat.MXFP4, MxWeights.BLOCK),
  MXFP8("mxfp8", QuantFormat.MXFP8, MxWeights.BLOCK),
  FP8_TENSOR("fp8-tensor", QuantFormat.FBGEMM_FP8, 1),
  FP8_CHANNEL("fp8-channel", QuantFormat.FBGEMM_FP8, 1),
  FP8_BLOCK("fp8-block", QuantFormat.BLOCKSCALED_FP8, 1),
  INT8("int8", QuantFormat.INT8_W8A8, 1);

  private final String option;
  private final QuantFormat format;
  private final int kBlock;

  TargetFormat(String option, QuantFormat format, int kBlock) {
    this.option = option;
    this.format = format;
    this.kBlock = kBlock;
  }

  /** The {@code --format} value, e.g. {@code "fp8-block"}. */
  String option() {
    return option;
  }

  /** MAX's format for this layout. */
  QuantFormat quantFormat() {
    return format;
  }

  /**
   * The multiple K must be for the layout's loaders: 16 for NVFP4, 32 for MX, 1 otherwise (FP8 blocks may be
   * short at the edge, as DeepSeek's are).
   */
  int kBlock() {
    return kBlock;
  }

  /** The runtime quantizer of this format; {@code mxMode} matters only for MX. */
  WeightQuantizer quantizer(MxScaleMode mxMode) {
    return switch (this) {
      case NVFP4 -> new Nvfp4Quantizer();
      case MXFP4 -> new MxQuantizer(MxElement.FP4_E2M1, mxMode);
      case MXFP8 -> new MxQuantizer(MxElement.FP8_E4M3, mxMode);
      case FP8_TENSOR -> Fp8Quantizer.tensorwise();
      case FP8_CHANNEL -> Fp8Quantizer.rowwise();
      case FP8_BLOCK -> Fp8Quantizer.blockwise();
      case INT8 -> new Int8Quantizer();
    };
  }

  /**
   * The {@link QuantConfig} of a checkpoint written in this format, with the given quantized layers. Where a
   * format's usual config has static activation scales (modelopt NVFP4), jquant says DYNAMIC: it has no
   * calibration data to measure an {@code input_scale} with, so it writes none.
   */
  QuantConfig quantConfig(Set<Integer> mlpLayers, Set<Integer> attnLayers) {
    QuantConfig.Builder builder = QuantConfig.builder(format);
    switch (this) {
      case NVFP4 -> builder.inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16));
      case FP8_TENSOR -> builder
          .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT32))
          .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32));
      default -> { } // the format's defaults are what jquant writes
    }
    return builder.mlpQuantizedLayers(mlpLayers).attnQuantizedLayers(attnLayers).build();
  }

  /** The format of a {@code --format} value, case-insensitive. */
  static TargetFormat ofOption(String option) {
    for (TargetFormat format : values()) {
      if (format.option.equalsIgnoreCase(option)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown format '" + option + "'; expected one of "
        + Arrays.stream(values()).map(TargetFormat::option).toList());
  }

  @Override
  public String toString() {
    return option;
  }
}
