package io.jquant.cli;

import io.jquant.config.BlockSize;
import io.jquant.config.layout.ModuleTensors;
import io.jquant.config.layout.StoredLayout;
import io.jquant.config.layout.StoredModule;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.layout.StoredLayer;
import io.jquant.runtime.tensor.TensorView;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One quantized linear layer's stored tensors, as {@code dequantize} and {@code inspect} read them: the
 * layer's {@link StoredLayout} (the table the loader and the detector use too, so all of them recognise and
 * refuse the same layers with the same message), read through the runtime's {@link StoredLayer}.
 */
final class StoredWeights {
  /**
   * The tensor names of a layer that hold its quantized weight and scales, and its input and KV-cache scales;
   * none survives dequantization.
   */
  static final Set<String> PARTS = parts();

  /** The most elements a dequantized weight may have: its float32 values are one Java array. */
  static final long MAX_ELEMENTS = TensorView.MAX_ARRAY_LENGTH;

  private StoredWeights() {}

  private static Set<String> parts() {
    Set<String> parts = new LinkedHashSet<>(StoredLayout.PART_NAMES);
    parts.addAll(List.of("input_scale", "input_global_scale", "k_scale", "v_scale"));
    return Set.copyOf(parts);
  }

  /**
   * The layer, when its tensors show a quantized layout, its tensors' dtypes and shapes checked.
   *
   * @param parts the layer's tensors by their name relative to the layer ({@code "weight"}, ...)
   * @param block the FP8 block of the block layouts
   * @param fileOf the file of a tensor, by its full name
   * @throws IllegalArgumentException naming the file, the tensor and both dtypes and shapes
   */
  static Optional<StoredLayer> layer(String module, Map<String, TensorView> parts, BlockSize block,
      Function<String, String> fileOf) {
    return StoredLayer.find(module, parts, block, fileOf);
  }

  /**
   * Checks every layer of the checkpoint whose tensors show a stored layout: dtypes, shapes and scale values.
   *
   * @throws IllegalArgumentException naming the file, the tensor and both dtypes and shapes, or the value
   */
  static void checkAll(Checkpoint checkpoint, BlockSize block) {
    List<TensorView> views = checkpoint.tensorNames().stream().map(checkpoint::tensor).toList();
    ModuleTensors.byModule(views, TensorView::name).forEach((module, parts) -> layer(module, parts, block,
        tensor -> checkpoint.fileOf(tensor).toString()).ifPresent(StoredLayer::checkValues));
  }

  /**
   * The shape {@code [N, K]} the layer's weight dequantizes to (K twice the bytes per row for packed FP4). It
   * may be empty ({@code [2147483648, 0]} is legal); it is never larger than {@link #MAX_ELEMENTS}.
   *
   * @throws BadInputException naming the tensor and its shape when it dequantizes to more elements than a
   * float array holds
   */
  static List<Long> dequantizedShape(StoredLayer layer) {
    StoredModule m = layer.module();
    long rows = m.rows();
    long k = m.cols();
    if (rows != 0 && k != 0 && rows > MAX_ELEMENTS / k) {
      TensorView weight = weight(layer);
      throw new BadInputException("tensor " + weight.name() + ": " + weight.dtype() + " " + weight.shape()
          + " dequantizes to more than the " + MAX_ELEMENTS + " elements a float array holds");
    }
    return List.of(rows, k);
  }

  /** The layer's stored weight tensor ({@code weight} or {@code weight_packed}). */
  static String weightPart(StoredLayer layer) {
    return layer.layout().weight().name();
  }

  private static TensorView weight(StoredLayer layer) {
    return layer.view(weightPart(layer));
  }
}
