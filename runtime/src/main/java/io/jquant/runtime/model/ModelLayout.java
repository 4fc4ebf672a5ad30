package io.jquant.runtime.model;

import io.jquant.annotations.rules.SpecMessages;
import java.util.Objects;

/**
 * Where a model's layers live in its checkpoint: {@code numLayers} layers, layer {@code i}'s tensors under
 * {@code checkpointPrefix} with {@code {layer}} replaced by {@code i} (e.g. {@code model.layers.{layer}}).
 */
public record ModelLayout(int numLayers, String checkpointPrefix) {
  /** The placeholder {@link #checkpointPrefix()} holds. */
  public static final String LAYER = "{layer}";

  public ModelLayout {
    Objects.requireNonNull(checkpointPrefix, "checkpointPrefix");
    SpecMessages.requireNumLayers(numLayers);
    if (!checkpointPrefix.contains(LAYER)) {
      throw new IllegalArgumentException("checkpointPrefix '" + checkpointPrefix + "' has no " + LAYER);
    }
  }

  /** Layer {@code layer}'s prefix, e.g. {@code model.layers.3}. */
  public String layerPrefix(int layer) {
    Objects.checkIndex(layer, numLayers);
    return checkpointPrefix.replace(LAYER, Integer.toString(layer));
  }

  /** The module name of a projection of layer {@code layer}, e.g. {@code model.layers.3.mlp.gate_proj}. */
  public String module(int layer, String projection) {
    return layerPrefix(layer) + "." + projection;
  }
}
