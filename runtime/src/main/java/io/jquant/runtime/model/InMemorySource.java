package io.jquant.runtime.model;

import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.tensor.TensorView;
import io.jquant.runtime.tensor.TensorViews;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link TensorSource#of}: named tensors held in memory, without config files. */
final class InMemorySource implements TensorSource {
  private final String description;
  private final Map<String, TensorView> byName;
  private volatile CheckpointTensors infos;

  InMemorySource(String description, List<TensorView> tensors) {
    this.description = Objects.requireNonNull(description, "description");
    Objects.requireNonNull(tensors, "tensors");
    Map<String, TensorView> map = new LinkedHashMap<>();
    for (TensorView tensor : tensors) {
      if (map.put(tensor.name(), tensor) != null) {
        throw new IllegalArgumentException(description + ": tensor '" + tensor.name() + "' appears twice");
      }
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public List<String> tensorNames() {
    return List.copyOf(byName.keySet());
  }

  @Override
  public Optional<TensorView> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  @Override
  public Optional<HfQuantization> quantization(int numLayers, ModuleNames names) {
    // No config.json: the parser's last resort alone (a weight_scale_2 tensor means modelopt NVFP4).
    return HfQuantConfigParser.parse(Map.of(), null, numLayers, checkpointTensors(), names);
  }

  @Override
  public CheckpointTensors checkpointTensors() {
    CheckpointTensors known = infos;
    if (known == null) {
      known = TensorViews.checkpointTensors(List.copyOf(byName.values()));
      infos = known;
    }
    return known;
  }

  @Override
  public String toString() {
    return "TensorSource[" + description + ", " + byName.size() + " tensors]";
  }
}
