package io.jquant.config.hf;

import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Objects;

/**
 * What the config parser needs to know of one checkpoint tensor: its name, dtype and shape (a safetensors
 * header entry), never its bytes.
 *
 * @param name the full checkpoint name, e.g. {@code model.layers.0.mlp.down_proj.weight_scale}
 * @param dtype the storage type
 * @param shape dimensions, outermost first; empty for a scalar
 */
public record TensorInfo(String name, StorageDType dtype, List<Long> shape) {
  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, () -> "tensor " + name + ": no dtype");
    shape = List.copyOf(Objects.requireNonNull(shape, () -> "tensor " + name + ": no shape"));
  }

  /** A tensor of {@code dtype} with the given dimensions. */
  public static TensorInfo of(String name, StorageDType dtype, long... shape) {
    return new TensorInfo(name, dtype, java.util.Arrays.stream(shape).boxed().toList());
  }

  /** Whether the tensor holds one element (shape {@code []} or {@code [1]}), MAX's "scalar" scale. */
  public boolean isScalar() {
    return shape.isEmpty() || (shape.size() == 1 && shape.get(0) == 1);
  }
}
