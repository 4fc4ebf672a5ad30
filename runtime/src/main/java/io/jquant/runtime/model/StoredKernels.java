package io.jquant.runtime.model;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.BlockSize;
import io.jquant.config.QuantConfig;
import io.jquant.config.layout.StoredLayout;
import io.jquant.runtime.layout.StoredLayer;
import io.jquant.runtime.tensor.TensorView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A module a checkpoint holds quantized, as the loader reads it: the layer's {@link StoredLayout} (the
 * table's recognition, tensors, dtypes, shapes and scale rules, the ones {@code jquant dequantize},
 * {@code inspect} and the detector use), which must be one the config's format runs; the block FP8 layouts
 * take the config's weight block size.
 */
final class StoredKernels {
  private StoredKernels() {}

  /**
   * The stored layer {@code module}, its tensors checked against its layout.
   *
   * @throws IllegalArgumentException naming the module and its tensors when they are not a layout of the
   * config's format; naming the file, the tensor and both dtypes and shapes when one does not fit the layout
   */
  static StoredLayer layer(TensorSource source, String module, QuantConfig config) {
    Map<String, TensorView> parts = new LinkedHashMap<>();
    for (String part : StoredLayout.PART_NAMES) {
      source.find(module + "." + part).ifPresent(view -> parts.put(part, view));
    }
    Optional<StoredLayout> layout = StoredLayer.recognise(parts);
    if (layout.isEmpty() || !layout.get().runsAs(config.format())) {
      throw notALayout(source, module, config.format().wireName());
    }
    BlockSize block = config.weightScale().blockSize();
    if (config.format() != QuantFormat.BLOCKSCALED_FP8 || block == null) {
      block = StoredLayout.DEFAULT_FP8_BLOCK;
    }
    return StoredLayer.of(layout.get(), module, parts, block, source::fileOf);
  }

  static IllegalArgumentException notALayout(TensorSource source, String module, String format) {
    return new IllegalArgumentException(source.description() + ": module " + module + " is stored as "
        + layout(source, module) + ", which is no " + format
        + " layout jquant reads (docs/FORMATS.md §2-§4)");
  }

  /** The module's tensors as {@code weight F8_E4M3 [4, 32], weight_scale F32 []}. */
  static String layout(TensorSource source, String module) {
    String prefix = module + ".";
    String text = source.tensorNames().stream().filter(n -> n.startsWith(prefix)
        && n.indexOf('.', prefix.length()) < 0)
        .sorted()
        .map(n -> {
          TensorView t = source.tensor(n);
          return n.substring(prefix.length()) + " " + t.dtype() + " " + t.shape();
        })
        .collect(Collectors.joining(", "));
    return text.isEmpty() ? "no tensors" : text;
  }

  /**
   * The value of a one-element F32, BF16 or F16 tensor (a per-tensor scale).
   *
   * @throws IllegalArgumentException naming the tensor unless it holds one float value
   */
  static float scalar(TensorSource source, TensorView tensor) {
    if (tensor.elementCount() != 1 || !tensor.isFloat()) {
      throw new IllegalArgumentException(source.description() + ": tensor '" + tensor.name() + "' is "
          + tensor.dtype() + " " + tensor.shape() + "; expected one float value ([] or [1])");
    }
    return FloatTensors.widen(source.description(), tensor)[0];
  }
}
