package io.jquant.runtime.model;

import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.tensor.TensorView;
import io.jquant.runtime.tensor.TensorViews;
import java.util.List;
import java.util.Optional;

/**
 * The named tensors a model is built from, by their Hugging Face names
 * ({@code model.layers.0.mlp.gate_proj.weight}, matrices {@code [out, in]}): a safetensors checkpoint
 * ({@link CheckpointSource}), or weights converted from another file format (the MiniLM sample's ONNX
 * initializers).
 */
public interface TensorSource {
  /** What the tensors come from, for error messages: a path or a file name. */
  String description();

  /**
   * Where tensor {@code name} lives, for the messages about it: its file for a checkpoint, else
   * {@link #description()}.
   */
  default String fileOf(String name) {
    return description();
  }

  /** Every tensor's name. */
  List<String> tensorNames();

  /** The tensor named {@code name}, if there is one. */
  Optional<TensorView> find(String name);

  /**
   * The tensor named {@code name}.
   *
   * @throws IllegalArgumentException naming the source and the tensor when there is none
   */
  default TensorView tensor(String name) {
    return find(name)
        .orElseThrow(() -> new IllegalArgumentException(description() + ": no tensor '" + name + "'"));
  }

  /**
   * The source's own quantization config (config.json's {@code quantization_config}, hf_quant_config.json),
   * read for {@code numLayers} layers whose modules have Llama's names; empty for a float checkpoint.
   *
   * @throws IllegalArgumentException naming the file and key when the config is malformed or unsupported
   */
  default Optional<HfQuantization> quantization(int numLayers) {
    return quantization(numLayers, ModuleNames.llama());
  }

  /**
   * Like {@link #quantization(int)}, the ignore list read with the model's module {@code names} (its
   * {@link ModelLayout#moduleNames()}).
   */
  Optional<HfQuantization> quantization(int numLayers, ModuleNames names);

  /** The names, dtypes and shapes of every tensor, as the Hugging Face config parser consults them. */
  default CheckpointTensors checkpointTensors() {
    return TensorViews.checkpointTensors(tensorNames().stream().map(this::tensor).toList());
  }

  /**
   * Tensors already in memory (e.g. converted from an ONNX file), by their names, in the given order. They
   * have no quantization config file, so {@link #quantization(int)} reads the tensors alone as it does for a
   * checkpoint directory without one: empty unless a {@code weight_scale_2} tensor marks modelopt NVFP4.
   *
   * @param description what the tensors come from, for error messages
   * @throws IllegalArgumentException if two tensors share a name
   */
  static TensorSource of(String description, List<TensorView> tensors) {
    return new InMemorySource(description, tensors);
  }
}
