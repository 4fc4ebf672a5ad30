package io.jquant.config.layout;

import io.jquant.config.BlockSize;
import java.util.Objects;

/**
 * A layer whose tensors were checked against its {@link StoredLayout}: every tensor is there with an accepted
 * dtype and shape.
 *
 * @param layout the layout
 * @param module the layer's name, e.g. {@code model.layers.0.mlp.up_proj}
 * @param rows N, the weight's rows
 * @param cols K, the weight's logical columns (twice the bytes per row for packed FP4)
 * @param block the FP8 block the shapes were checked with
 */
public record StoredModule(StoredLayout layout, String module, long rows, long cols, BlockSize block) {
  public StoredModule {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(block, "block");
  }

  /** The full name of the layout's tensor {@code part}, e.g. {@code model.layers.0.mlp.up_proj.weight}. */
  public String tensor(String part) {
    return StoredLayouts.name(module, part);
  }
}
