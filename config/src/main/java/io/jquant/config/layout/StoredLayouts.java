package io.jquant.config.layout;

import io.jquant.config.BlockSize;
import io.jquant.config.hf.TensorInfo;
import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The recognition tests and the tensor check of {@link StoredLayout}, with its messages' wording. */
final class StoredLayouts {
  private StoredLayouts() {}

  /** Whether the layer has tensor {@code part} of {@code dtype}. */
  static boolean is(Map<String, TensorInfo> parts, String part, StorageDType dtype) {
    TensorInfo t = parts.get(part);
    return t != null && t.dtype() == dtype;
  }

  /** The rank of tensor {@code part}, or -1 when the layer has none. */
  static int rank(Map<String, TensorInfo> parts, String part) {
    TensorInfo t = parts.get(part);
    return t == null ? -1 : t.shape().size();
  }

  /** Whether {@code weight_scale} is {@code [N, 1]}, one scale per row of the 2-D {@code weight}. */
  static boolean isPerRow(Map<String, TensorInfo> parts) {
    TensorInfo weight = parts.get("weight");
    TensorInfo scale = parts.get("weight_scale");
    return weight != null && scale != null && weight.shape().size() == 2
        && scale.shape().equals(List.of(weight.shape().get(0), 1L));
  }

  /** The full name of the layer's tensor {@code part}. */
  static String name(String module, String part) {
    return module.isEmpty() ? part : module + "." + part;
  }

  /**
   * Refuses a missing tensor, or one of another dtype or shape, naming it, the layout, the weight's shape and
   * both dtypes and shapes: {@code tensor m.weight_scale: modelopt NVFP4 weight [8, 32] needs F8_E4M3 [8, 2],
   * got BF16 [8, 2]}.
   */
  static void requirePart(StoredLayout layout, String module, LayoutPart part, TensorInfo tensor,
      String weightName, long rows, long cols, BlockSize block) {
    List<List<Long>> shapes = part.shape().shapes(rows, cols, block);
    String name = name(module, part.name());
    String needs = layout.description() + " weight [" + rows + ", " + cols + "] needs " + part.shownDtypes()
        + " " + LayoutPart.alternatives(shapes.stream().map(List::toString).collect(Collectors.toList()));
    if (tensor == null) {
      throw new LayoutException(weightName, "tensor " + name + " is missing: " + needs);
    }
    if (!part.dtypes().contains(tensor.dtype()) || !shapes.contains(tensor.shape())) {
      throw new LayoutException(name, "tensor " + name + ": " + needs + ", got " + tensor.dtype() + " "
          + tensor.shape());
    }
  }
}
