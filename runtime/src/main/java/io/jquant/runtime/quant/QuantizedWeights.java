package io.jquant.runtime.quant;

import io.jquant.runtime.tensor.StoredTensor;
import java.util.List;

/**
 * A weight {@code [N, K]} in one of the quantized formats: the exact bytes a checkpoint holds for it, and the
 * float32 values those bytes stand for.
 */
public interface QuantizedWeights {
  /**
   * The weight's name, e.g. {@code "model.layers.0.mlp.down_proj.weight"}: the name it was quantized from.
   */
  String name();

  /** N: the number of rows (output channels). */
  int rows();

  /** K: the number of logical columns (input features), never the packed FP4 byte count. */
  int cols();

  /**
   * The values the stored bytes stand for, as the format's reference dequantizer computes them in float32.
   */
  FloatMatrix dequantize();

  /**
   * The checkpoint tensors of this weight, named relative to the layer ({@code "weight"},
   * {@code "weight_scale"}, ...), with the storage types and shapes the real checkpoints use. The byte arrays
   * are shared with this object, not copied.
   */
  List<StoredTensor> tensors();
}
