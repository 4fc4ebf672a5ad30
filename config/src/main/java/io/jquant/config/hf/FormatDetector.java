package io.jquant.config.hf;

import io.jquant.config.layout.StoredLayout;
import java.util.List;

/**
 * The checkpoint layout from tensor names, dtypes and shapes alone, for {@code jquant inspect} and for
 * checkpoints without a quantization config. Each linear layer's tensors show at most one
 * {@link StoredLayout} (the table's rules), whose {@link StoredLayout#detected()} format it reports; gpt-oss
 * MoE experts ({@code *_blocks} U8 with {@code *_scales} U8) show gpt-oss MXFP4. When layers show several,
 * the one declared first in {@link CheckpointFormat} wins; none is unquantized. A layer that shows a layout
 * but whose tensors do not fit it (a missing scale, another dtype or shape; FP8 blocks checked as 128x128) is
 * refused with the table's message, as every reader refuses it.
 */
public final class FormatDetector {
  private FormatDetector() {}

  /**
   * The layout the tensors show.
   *
   * @throws io.jquant.config.layout.LayoutException naming the tensor, the layout and both dtypes and shapes
   * when a layer's tensors do not fit the layout they show
   */
  public static CheckpointFormat detect(List<TensorInfo> tensors) {
    return TensorLayouts.detect(tensors);
  }
}
