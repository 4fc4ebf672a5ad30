package io.jquant.annotations.rules;

import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What checking a model found: its violations and, read from as much of the declaration as was well-formed,
 * the model's format, scale specs, quantized layer sets and each layer class's role. Only a model without
 * violations has a meaningful configuration.
 *
 * @param roles per entry of {@code layerClasses}, the role found (null where none could be)
 */
public record ModelCheck(
    List<Violation> violations,
    QuantFormat format,
    InputSpec input,
    WeightSpec weight,
    Set<Integer> mlpQuantizedLayers,
    Set<Integer> attnQuantizedLayers,
    List<Role> roles) {
  public ModelCheck {
    violations = List.copyOf(violations);
    mlpQuantizedLayers = Set.copyOf(mlpQuantizedLayers);
    attnQuantizedLayers = Set.copyOf(attnQuantizedLayers);
    roles = Collections.unmodifiableList(new ArrayList<>(roles));
  }

  public boolean isClean() {
    return violations.isEmpty();
  }
}
