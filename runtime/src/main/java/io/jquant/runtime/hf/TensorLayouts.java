package io.jquant.runtime.hf;

import java.util.List;

/** Recognises a checkpoint layout from its tensors; see {@link FormatDetector}. */
final class TensorLayouts {
  private TensorLayouts() {}

  static CheckpointFormat detect(List<TensorInfo> tensors) {
    throw new UnsupportedOperationException("not yet");
  }
}
