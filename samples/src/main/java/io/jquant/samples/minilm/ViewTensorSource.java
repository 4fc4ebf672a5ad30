package io.jquant.samples.minilm;

import io.jquant.runtime.hf.HfQuantization;
import io.jquant.runtime.model.TensorSource;
import io.jquant.runtime.tensor.TensorView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A float {@link TensorSource} over tensors already in memory: what the ONNX weights become. Stands in for
 * {@code TensorSource.of(description, views)} until that is on main.
 */
// TODO(lead): replace with TensorSource.of(description, views) once the runtime has it.
record ViewTensorSource(String description, Map<String, TensorView> views) implements TensorSource {
  ViewTensorSource {
    Objects.requireNonNull(description, "description");
    views = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(views));
  }

  /** The views by name, in order; a repeated name is an error naming it. */
  static ViewTensorSource of(String description, List<TensorView> list) {
    Map<String, TensorView> byName = new LinkedHashMap<>();
    for (TensorView view : list) {
      if (byName.putIfAbsent(view.name(), view) != null) {
        throw new IllegalArgumentException(description + ": two tensors named '" + view.name() + "'");
      }
    }
    return new ViewTensorSource(description, byName);
  }

  @Override
  public List<String> tensorNames() {
    return List.copyOf(views.keySet());
  }

  @Override
  public Optional<TensorView> find(String name) {
    return Optional.ofNullable(views.get(name));
  }

  /** Float weights carry no quantization config: the loader quantizes them as declared. */
  @Override
  public Optional<HfQuantization> quantization(int numLayers) {
    return Optional.empty();
  }
}
