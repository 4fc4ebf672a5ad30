package io.jquant.samples.llama;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * The formats the sample runs stories260K in, each a {@link QuantConfig} over the declaration's layers (every
 * MLP, attention on layers 1 to 3) with the format's prescribed scales, as {@code jquant quantize} writes them.
 */
public enum LlamaFormats {
  /** No quantization: every projection float32. */
  FLOAT32("float32"),
  /** {@link LlamaQuantConfig#config()} exactly as declared (NVFP4, static input scales). */
  DECLARED("declared"),
  /** NVFP4 with dynamic input scales: there is no calibration data to measure an {@code input_scale} with. */
  NVFP4("nvfp4"),
  MXFP4("mxfp4"),
  MXFP8("mxfp8"),
  /** FBGEMM FP8 with one weight scale and one dynamic input scale per tensor. */
  FP8_TENSOR("fp8-tensor"),
  /** FBGEMM FP8 with a weight scale per row and a dynamic input scale per token. */
  FP8_ROW("fp8-row"),
  /** Block-scaled FP8: 128x128 weight blocks, dynamic 1x128 input blocks. */
  FP8_BLOCK("fp8-block"),
  /** INT8 W8A8: a weight scale per row, a dynamic input scale per token. */
  INT8("int8");

  private final String option;

  LlamaFormats(String option) {
    this.option = option;
  }

  /** The name {@code --format} takes. */
  public String option() {
    return option;
  }

  /**
   * The config of this format on the declaration's layers, or null for {@link #FLOAT32}; gate and up fused
   * wherever the format allows it (not MXFP4).
   */
  public QuantConfig config() {
    QuantConfig declared = LlamaQuantConfig.config();
    if (this == FLOAT32) {
      return null;
    }
    if (this == DECLARED) {
      return declared;
    }
    QuantConfig.Builder builder = switch (this) {
      case NVFP4 -> QuantConfig.builder(QuantFormat.NVFP4)
          .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16));
      case MXFP4 -> QuantConfig.builder(QuantFormat.MXFP4);
      case MXFP8 -> QuantConfig.builder(QuantFormat.MXFP8);
      case FP8_TENSOR -> QuantConfig.builder(QuantFormat.FBGEMM_FP8)
          .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT32))
          .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32));
      case FP8_ROW -> QuantConfig.builder(QuantFormat.FBGEMM_FP8);
      case FP8_BLOCK -> QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8);
      case INT8 -> QuantConfig.builder(QuantFormat.INT8_W8A8);
      default -> throw new AssertionError(this);
    };
    return builder.mlpQuantizedLayers(declared.mlpQuantizedLayers())
        .attnQuantizedLayers(declared.attnQuantizedLayers())
        .canUseFusedMlp(this != MXFP4)
        .build();
  }

  /**
   * The format named {@code option} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the names when there is none
   */
  public static LlamaFormats ofOption(String option) {
    for (LlamaFormats format : values()) {
      if (format.option.equalsIgnoreCase(option)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown format '" + option + "'; expected one of "
        + Arrays.stream(values()).map(LlamaFormats::option).toList());
  }

  @Override
  public String toString() {
    return option.toLowerCase(Locale.ROOT);
  }
}
