package io.jquant.config.hf;

import io.jquant.annotations.QuantFormat;

/**
 * The checkpoint layouts jquant recognises: which producer's tensors and config a directory holds. Several
 * map to one MAX {@link QuantFormat} (modelopt and compressed-tensors NVFP4 both are NVFP4).
 */
public enum CheckpointFormat {
  /** No quantization config and no quantized tensors. */
  UNQUANTIZED(null, "not quantized"),
  /**
   * modelopt NVFP4: U8 {@code weight}, F8_E4M3 {@code weight_scale}, F32 {@code weight_scale_2},
   * {@code input_scale}.
   */
  MODELOPT_NVFP4(QuantFormat.NVFP4, "modelopt NVFP4"),
  /** modelopt FP8: F8_E4M3 {@code weight}, F32 scalar {@code weight_scale} and {@code input_scale}. */
  MODELOPT_FP8(QuantFormat.FBGEMM_FP8, "modelopt FP8 (tensor-wise)"),
  /**
   * compressed-tensors NVFP4 ({@code nvfp4-pack-quantized}): {@code weight_packed}, {@code *_global_scale}
   * divisors.
   */
  COMPRESSED_TENSORS_NVFP4(QuantFormat.NVFP4, "compressed-tensors NVFP4"),
  /** compressed-tensors FP8 ({@code float-quantized}), tensor or channel weight scales. */
  COMPRESSED_TENSORS_FP8(QuantFormat.COMPRESSED_TENSORS_FP8, "compressed-tensors FP8"),
  /** compressed-tensors FP8_BLOCK: 128x128 weight blocks, dynamic 1x128 input groups. */
  COMPRESSED_TENSORS_FP8_BLOCK(QuantFormat.BLOCKSCALED_FP8, "compressed-tensors FP8 block"),
  /** compressed-tensors INT8 W8A8 ({@code int-quantized}): channel weights, dynamic per-token inputs. */
  COMPRESSED_TENSORS_INT8(QuantFormat.INT8_W8A8, "compressed-tensors INT8 W8A8"),
  /** compressed-tensors MXFP8: F8_E4M3 {@code weight}, U8 (raw E8M0) {@code weight_scale} per 32. */
  COMPRESSED_TENSORS_MXFP8(QuantFormat.MXFP8, "compressed-tensors MXFP8"),
  /** compressed-tensors MXFP4 ({@code mxfp4-pack-quantized}). */
  COMPRESSED_TENSORS_MXFP4(QuantFormat.MXFP4, "compressed-tensors MXFP4"),
  /** transformers' fbgemm_fp8: F8_E4M3 {@code weight}, row-wise {@code weight_scale} [N, 1]. */
  FBGEMM_FP8(QuantFormat.FBGEMM_FP8, "FBGEMM FP8 (row-wise)"),
  /**
   * {@code quant_method: fp8} without a block size: scalar {@code weight_scale}; MAX files it as FBGEMM_FP8.
   */
  FP8_TENSORWISE(QuantFormat.FBGEMM_FP8, "FP8 tensor-wise"),
  /** {@code quant_method: fp8} with {@code weight_block_size} [128, 128]: {@code weight_scale_inv}. */
  FP8_BLOCK(QuantFormat.BLOCKSCALED_FP8, "FP8 128x128 block (DeepSeek-V3 style)"),
  /** gpt-oss MXFP4: {@code *_blocks} U8 and {@code *_scales} U8 (raw E8M0) expert tensors. */
  GPT_OSS_MXFP4(QuantFormat.MXFP4, "gpt-oss MXFP4"),
  /** AMD Quark MXFP4 ({@code quant_method: quark}, fp4 weights with e8m0 scales). */
  QUARK_MXFP4(QuantFormat.MXFP4, "Quark MXFP4");

  private final QuantFormat quantFormat;
  private final String description;

  CheckpointFormat(QuantFormat quantFormat, String description) {
    this.quantFormat = quantFormat;
    this.description = description;
  }

  /** MAX's format for this layout, or null for {@link #UNQUANTIZED}. */
  public QuantFormat quantFormat() {
    return quantFormat;
  }

  /** A short human-readable name, for {@code jquant inspect}. */
  public String description() {
    return description;
  }
}
