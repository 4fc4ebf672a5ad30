package io.jquant.config.hf;

import io.jquant.annotations.serving.IgnoreList;
import java.util.List;
import java.util.Objects;

/**
 * The module names of a model's layers, as its ignore lists name them: layer {@code i}'s projections are
 * {@code checkpointPrefix} with {@code {layer}} replaced by {@code i}, a dot, then a projection name, e.g.
 * {@code encoder.layer.3.intermediate.dense} for MiniLM. The writer lists unquantized layers with these names
 * and the parser reads the layer sets back with them, so a model's lists round-trip whatever its layout.
 * {@link #llama()} is what a config without a declaration is read with (MAX's names).
 *
 * @param checkpointPrefix the layers' prefix with {@code {layer}}, e.g. {@code model.layers.{layer}}
 * @param mlp the MLP's projection names below the layer prefix, e.g. {@code mlp.gate_proj}
 * @param attention the attention's projection names below the layer prefix, e.g. {@code self_attn.q_proj}
 */
public record ModuleNames(String checkpointPrefix, List<String> mlp, List<String> attention) {
  /** The placeholder {@link #checkpointPrefix()} holds. */
  public static final String LAYER = "{layer}";

  private static final ModuleNames LLAMA = new ModuleNames(
      HfQuantConfigParser.MODULE_PREFIX + "layers." + LAYER,
      IgnoreList.LLAMA_MLP, IgnoreList.LLAMA_ATTENTION);

  /**
   * @throws IllegalArgumentException if the prefix has no {@code {layer}}, or a role has no projection or a
   * blank one: such names would read every layer of that role as quantized whatever the list says
   */
  public ModuleNames {
    Objects.requireNonNull(checkpointPrefix, "checkpointPrefix");
    if (!checkpointPrefix.contains(LAYER)) {
      throw new IllegalArgumentException("checkpointPrefix '" + checkpointPrefix + "' has no " + LAYER);
    }
    mlp = checked(mlp, "MLP");
    attention = checked(attention, "attention");
  }

  /** Hugging Face Llama's names under {@code model.layers.{layer}}: MAX's, and the parser's default. */
  public static ModuleNames llama() {
    return LLAMA;
  }

  /** Layer {@code layer}'s prefix, e.g. {@code model.layers.3}. */
  public String layerPrefix(int layer) {
    return checkpointPrefix.replace(LAYER, Integer.toString(layer));
  }

  /** Layer {@code layer}'s module {@code projection}, e.g. {@code model.layers.3.mlp.gate_proj}. */
  public String module(int layer, String projection) {
    return layerPrefix(layer) + "." + projection;
  }

  private static List<String> checked(List<String> projections, String role) {
    Objects.requireNonNull(projections, role + " projections");
    if (projections.isEmpty()) {
      throw new IllegalArgumentException("no " + role + " projection names; a layer's " + role
          + " is read as quantized unless its projections are ignored, so it needs at least one");
    }
    for (String p : projections) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException(role + " projection names " + projections + " hold a blank name");
      }
    }
    return List.copyOf(projections);
  }
}
