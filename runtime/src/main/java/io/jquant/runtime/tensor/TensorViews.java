package io.jquant.runtime.tensor;

import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.TensorInfo;
import java.util.List;

/** What the config parser may know of mapped tensors: their headers, and the values of one-element scales. */
public final class TensorViews {
  private TensorViews() {}

  /** The name, dtype and shape of {@code view}. */
  public static TensorInfo info(TensorView view) {
    return new TensorInfo(view.name(), view.dtype(), view.shape());
  }

  /** The tensors of {@code views}, with the values of their one-element F32, BF16 and F16 tensors. */
  public static CheckpointTensors checkpointTensors(List<TensorView> views) {
    return CheckpointTensors.of(views.stream().map(TensorViews::info).toList(), ScalarValues.read(views));
  }
}
