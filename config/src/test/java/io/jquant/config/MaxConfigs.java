package io.jquant.config;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;

import io.jquant.annotations.QuantFormat;

/**
 * The configs MAX's Hugging Face parsers build (docs/FORMATS.md §2.6, §3.5, §5.2), written out value by
 * value. Public so the tests of other packages (the activation quantizers' factory) use the same configs.
 */
public final class MaxConfigs {
  private MaxConfigs() {}

  /** {@code _parse_modelopt_float4_config} for a 16-layer model. */
  public static QuantConfig nvfp4() {
    return QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(STATIC, FLOAT32, 1, 16))
        .weightScale(WeightScaleSpec.block(FLOAT8_E4M3FN, 1, 16))
        .allLayers(16)
        .embeddingOutputDtype(BFLOAT16)
        .build();
  }

  /** {@code _parse_mxfp4_config}: only the MLPs (MoE experts) are quantized. */
  public static QuantConfig mxfp4() {
    return QuantConfig.builder(QuantFormat.MXFP4)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 32))
        .weightScale(WeightScaleSpec.block(FLOAT8_E8M0FNU, 1, 32))
        .mlpQuantizedLayers(0, 1, 2, 3)
        .embeddingOutputDtype(BFLOAT16)
        .build();
  }

  /** The MXFP8 config of MAX's tests. */
  public static QuantConfig mxfp8() {
    return QuantConfig.builder(QuantFormat.MXFP8)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 32))
        .weightScale(WeightScaleSpec.block(FLOAT8_E8M0FNU, 1, 32))
        .allLayers(4)
        .build();
  }

  /** {@code _parse_blockscaled_fp8_config} (DeepSeek-V3 style). */
  public static QuantConfig blockscaledFp8() {
    return QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 128))
        .weightScale(WeightScaleSpec.block(FLOAT32, 128, 128))
        .allLayers(61)
        .embeddingOutputDtype(BFLOAT16)
        .build();
  }

  /** {@code _parse_fbgemm_fp8_config} with FBGEMM's default upper bound. */
  public static QuantConfig fbgemm() {
    return QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, 1200.0, null))
        .weightScale(new WeightScaleSpec(ROWWISE, FLOAT32))
        .allLayers(32)
        .build();
  }

  /**
   * {@code _parse_tensorwise_fp8_config} with {@code activation_scheme: "static"}; MAX files it as FBGEMM.
   */
  public static QuantConfig tensorwiseFp8() {
    return QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(TENSOR, STATIC, FLOAT32))
        .weightScale(new WeightScaleSpec(TENSOR, FLOAT32))
        .allLayers(32)
        .canUseFusedMlp(true)
        .build();
  }

  /** compressed-tensors FP8_DYNAMIC: channel weights, per-token dynamic inputs. */
  public static QuantConfig compressedTensorsFp8() {
    return QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT32))
        .weightScale(new WeightScaleSpec(ROWWISE, BFLOAT16))
        .mlpQuantizedLayers(0, 1, 2)
        .attnQuantizedLayers(1, 2)
        .build();
  }

  /** FLUX.2's {@code _make_int8_w8a8_config}. */
  public static QuantConfig int8W8a8() {
    return QuantConfig.builder(QuantFormat.INT8_W8A8)
        .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT32))
        .weightScale(new WeightScaleSpec(ROWWISE, FLOAT32))
        .allLayers(8)
        .build();
  }

  /** A config per format, MAX's own where MAX has one. */
  public static QuantConfig forFormat(QuantFormat format) {
    return switch (format) {
      case NVFP4 -> nvfp4();
      case MXFP4 -> mxfp4();
      case MXFP8 -> mxfp8();
      case BLOCKSCALED_FP8 -> blockscaledFp8();
      case FBGEMM_FP8 -> fbgemm();
      case COMPRESSED_TENSORS_FP8 -> compressedTensorsFp8();
      case INT8_W8A8 -> int8W8a8();
    };
  }
}
