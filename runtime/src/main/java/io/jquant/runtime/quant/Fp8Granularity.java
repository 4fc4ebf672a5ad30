package io.jquant.runtime.quant;

/** Which elements of an FP8 weight {@code [N, K]} share one float32 scale (docs/FORMATS.md §4.2-4.4). */
public enum Fp8Granularity {
  /** One scale for the whole tensor: {@code weight_scale} F32 {@code []} (HF {@code fp8}, modelopt FP8). */
  TENSOR,
  /**
   * One scale per row (output channel): {@code weight_scale} F32 {@code [N, 1]} (fbgemm-fp8,
   * compressed-tensors channel strategy).
   */
  ROW,
  /**
   * One scale per {@code blockRows x blockCols} block: {@code weight_scale_inv} F32
   * {@code [ceil(N/bn), ceil(K/bk)]} (DeepSeek-V3 style, 128x128), multiplied despite its name.
   */
  BLOCK
}
