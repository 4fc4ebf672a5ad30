package io.jquant.config.hf;

import java.util.List;

/**
 * The checkpoint layout from tensor names and dtypes alone, for {@code jquant inspect} and for checkpoints
 * without a quantization config. Each linear layer's tensors show at most one layout (rules below); when
 * layers show several, the one declared first in {@link CheckpointFormat} wins. A layer shows:
 *
 * <ul> <li>{@code *_blocks} U8 with {@code *_scales} U8: gpt-oss MXFP4; <li>{@code weight_packed}:
 * compressed-tensors NVFP4 (with {@code weight_global_scale}) or MXFP4; <li>U8 {@code weight} with F8_E4M3
 * {@code weight_scale} and F32 {@code weight_scale_2}: modelopt NVFP4; <li>F8_E4M3 {@code weight} with
 * {@code weight_scale_inv}: block FP8; <li>F8_E4M3 {@code weight} with U8 or F8_E8M0 {@code weight_scale} of
 * K/32 columns: MXFP8; <li>F8_E4M3 {@code weight} with {@code weight_scale} {@code [N, 1]}: row-wise FP8
 * (FBGEMM / compressed-tensors channel; reported as FBGEMM_FP8); <li>F8_E4M3 {@code weight} with a
 * one-element {@code weight_scale}: tensor-wise FP8; <li>I8 {@code weight} with {@code weight_scale}: INT8
 * W8A8; <li>otherwise unquantized. </ul>
 */
public final class FormatDetector {
  private FormatDetector() {}

  /** The layout the tensors show. */
  public static CheckpointFormat detect(List<TensorInfo> tensors) {
    return TensorLayouts.detect(tensors);
  }
}
