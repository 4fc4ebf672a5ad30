package io.jquant.runtime.model;

import io.jquant.annotations.rules.SpecMessages;
import io.jquant.config.hf.ModuleNames;
import java.util.Objects;

/**
 * Where a model's layers live in its checkpoint: {@code numLayers} layers, layer {@code i}'s tensors under
 * the module names' {@code checkpointPrefix} with {@code {layer}} replaced by {@code i} (e.g.
 * {@code model.layers.{layer}}). The module names' projections are what the checkpoint's ignore list is read
 * with when the weights are opened, so a non-Llama model (MiniLM's {@code intermediate.dense}) has its
 * unquantized layers found.
 *
 * @param moduleNames the checkpoint prefix and the MLP and attention projection names
 */
public record ModelLayout(int numLayers, ModuleNames moduleNames) {
  /** The placeholder {@link #checkpointPrefix()} holds. */
  public static final String LAYER = ModuleNames.LAYER;

  public ModelLayout {
    Objects.requireNonNull(moduleNames, "moduleNames");
    SpecMessages.requireNumLayers(numLayers);
  }

  /**
   * The layout of layers under {@code checkpointPrefix} whose projections have Hugging Face Llama's names
   * ({@code mlp.gate_proj}, {@code self_attn.q_proj}, ...), the names a model without declared projections
   * falls back to.
   *
   * @throws IllegalArgumentException if the prefix has no {@code {layer}}
   */
  public ModelLayout(int numLayers, String checkpointPrefix) {
    this(numLayers, new ModuleNames(checkpointPrefix, ModuleNames.llama().mlp(),
        ModuleNames.llama().attention()));
  }

  /** The layers' prefix with {@code {layer}} for the layer index, e.g. {@code model.layers.{layer}}. */
  public String checkpointPrefix() {
    return moduleNames.checkpointPrefix();
  }

  /** Layer {@code layer}'s prefix, e.g. {@code model.layers.3}. */
  public String layerPrefix(int layer) {
    return moduleNames.layerPrefix(Objects.checkIndex(layer, numLayers));
  }

  /** The module name of a projection of layer {@code layer}, e.g. {@code model.layers.3.mlp.gate_proj}. */
  public String module(int layer, String projection) {
    return moduleNames.module(Objects.checkIndex(layer, numLayers), projection);
  }
}
