package io.jquant.runtime.quant;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.runtime.numerics.MxScaleMode;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * The named quantization recipes jquant offers, one list for {@code jquant quantize --format}, the samples
 * and the benchmarks: each stands for one {@link QuantFormat} with fixed scale specs, so a name means the
 * same checkpoint layout, weight quantizer and activation scheme everywhere. Every activation scale is
 * DYNAMIC: jquant has no calibration data to measure a static {@code input_scale} with; a preset whose export
 * every engine reads with static inputs says so ({@link #needsCalibration()}).
 *
 * <p>"FP8 tensor" and "FP8 channel" are compressed-tensors FP8 (docs/FORMATS.md §5.4): transformers reads a
 * tensor-wise {@code quant_method: fp8} config as 128x128 blocks and vLLM has deprecated {@code fbgemm_fp8},
 * while compressed-tensors' {@code float-quantized} form is read alike by vLLM, transformers and MAX. Their
 * dynamic input scales carry the float8_e4m3fn dtype MAX's parser gives a checkpoint without
 * {@code input_scale} tensors, so a written checkpoint parses back to the preset's config.
 */
public enum FormatPreset {
  /** NVFP4 (modelopt layout) with dynamic 1x16 input blocks instead of modelopt's static input scale. */
  NVFP4("nvfp4", "NVFP4", QuantFormat.NVFP4, Nvfp4Weights.BLOCK),
  /** MXFP4 as prescribed: E8M0 scales per 32 weights and 32 inputs along K. */
  MXFP4("mxfp4", "MXFP4", QuantFormat.MXFP4, MxWeights.BLOCK),
  /** MXFP8 as prescribed: E8M0 scales per 32 weights and 32 inputs along K. */
  MXFP8("mxfp8", "MXFP8", QuantFormat.MXFP8, MxWeights.BLOCK),
  /** compressed-tensors FP8 with one float32 weight scale and one dynamic input scale per tensor. */
  FP8_TENSOR("fp8-tensor", "FP8 tensor", QuantFormat.COMPRESSED_TENSORS_FP8, 1),
  /**
   * compressed-tensors FP8_DYNAMIC: a float32 weight scale per output channel (row), a dynamic input scale
   * per token.
   */
  FP8_CHANNEL("fp8-channel", "FP8 channel", QuantFormat.COMPRESSED_TENSORS_FP8, 1),
  /** Block-scaled FP8 as prescribed: 128x128 weight blocks, dynamic 1x128 input blocks. */
  FP8_BLOCK("fp8-block", "FP8 block", QuantFormat.BLOCKSCALED_FP8, 1),
  /** INT8 W8A8 as prescribed: a weight scale per row, a dynamic input scale per token. */
  INT8("int8", "INT8 W8A8", QuantFormat.INT8_W8A8, 1);

  private final String option;
  private final String displayName;
  private final QuantFormat format;
  private final int kBlock;

  FormatPreset(String option, String displayName, QuantFormat format, int kBlock) {
    this.option = option;
    this.displayName = displayName;
    this.format = format;
    this.kBlock = kBlock;
  }

  /** The command-line name, e.g. {@code "fp8-tensor"}. */
  public String option() {
    return option;
  }

  /** The name in tables and reports, e.g. {@code "FP8 tensor"}. */
  public String displayName() {
    return displayName;
  }

  /** MAX's format, whose checkpoint layout this preset writes and reads. */
  public QuantFormat format() {
    return format;
  }

  /**
   * The multiple a weight's K (in_features) must be for the layout's loaders: 16 for NVFP4, 32 for MX, 1
   * otherwise (FP8 blocks may be short at the edge, as DeepSeek's are).
   */
  public int kBlock() {
    return kBlock;
  }

  /** A builder of this preset's format and scale specs, with no quantized layers yet. */
  public QuantConfig.Builder builder() {
    QuantConfig.Builder builder = QuantConfig.builder(format);
    switch (this) {
      case NVFP4 -> builder.inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16));
      case FP8_TENSOR -> builder
          .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.DYNAMIC, DType.FLOAT8_E4M3FN))
          .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32));
      case FP8_CHANNEL -> builder
          .inputScale(new InputScaleSpec(ScaleGranularity.COLWISE, ScaleOrigin.DYNAMIC, DType.FLOAT8_E4M3FN))
          .weightScale(new WeightScaleSpec(ScaleGranularity.ROWWISE, DType.FLOAT32));
      default -> {} // the format's prescribed scales
    }
    return builder;
  }

  /** This preset's config with the given MLP and attention layers quantized. */
  public QuantConfig config(Collection<Integer> mlpLayers, Collection<Integer> attnLayers) {
    return builder().mlpQuantizedLayers(mlpLayers).attnQuantizedLayers(attnLayers).build();
  }

  /**
   * The weight quantizer of this preset's layout
   * ({@link WeightQuantizer#forConfig(QuantConfig, MxScaleMode)}).
   *
   * @param mxMode the MX shared-scale rule; only MXFP4 and MXFP8 use it
   */
  public WeightQuantizer weightQuantizer(MxScaleMode mxMode) {
    Objects.requireNonNull(mxMode, "mxMode");
    return WeightQuantizer.forConfig(builder().build(), mxMode);
  }

  /**
   * The quantizer whose tensors {@code jquant quantize} writes: {@link #weightQuantizer}'s, named and shaped
   * as the export's readers expect (docs/FORMATS.md §5.4). MXFP4's packed codes are compressed-tensors'
   * {@code weight_packed}; FP8 tensor's scale is compressed-tensors' {@code [1]} per-tensor shape.
   */
  public WeightQuantizer exportQuantizer(MxScaleMode mxMode) {
    WeightQuantizer quantizer = weightQuantizer(mxMode);
    return switch (this) {
      case MXFP4 -> weight -> ExportedWeights.renamed(quantizer.quantize(weight), "weight", "weight_packed");
      case FP8_TENSOR -> weight -> ExportedWeights.reshaped(quantizer.quantize(weight), "weight_scale", 1);
      default -> quantizer;
    };
  }

  /**
   * Whether this preset's export is one every engine reads with STATIC input scales, so that a checkpoint
   * without calibrated {@code input_scale} tensors would not load as declared: NVFP4, exported as modelopt
   * NVFP4, whose vLLM and MAX layers compute their alpha from {@code input_scale}. Such a preset needs
   * recorded activation ranges to be written.
   */
  public boolean needsCalibration() {
    return this == NVFP4;
  }

  /**
   * The preset named {@code option}, case-insensitive.
   *
   * @throws IllegalArgumentException naming the value and listing the names when there is none
   */
  public static FormatPreset ofOption(String option) {
    for (FormatPreset preset : values()) {
      if (preset.option.equalsIgnoreCase(option)) {
        return preset;
      }
    }
    throw new IllegalArgumentException("unknown format '" + option + "'; expected one of "
        + Arrays.stream(values()).map(FormatPreset::option).toList());
  }

  /** The {@link #option()}, as command lines and messages spell it. */
  @Override
  public String toString() {
    return option;
  }
}
