package io.jquant.annotations.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The module names a serving engine must leave unquantized: every projection of every layer whose MLP or
 * attention is not in the quantized set, by exact name (MAX matches exact names only), then {@code lm_head},
 * which jquant never quantizes.
 */
public final class IgnoreList {
  /** Hugging Face Llama names, used for a role that no layer class declares. */
  public static final List<String> LLAMA_MLP = List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

  public static final List<String> LLAMA_ATTENTION = List.of("self_attn.q_proj", "self_attn.k_proj",
      "self_attn.v_proj", "self_attn.o_proj");

  private IgnoreList() {}

  /**
   * @param checkpointPrefix e.g. {@code "model.layers.{layer}"}
   * @param mlpProjections the MLP's projection names below the layer prefix
   * @param attnProjections the attention projection names below the layer prefix
   */
  public static List<String> of(
      int numLayers,
      String checkpointPrefix,
      Set<Integer> mlpQuantizedLayers,
      Set<Integer> attnQuantizedLayers,
      List<String> mlpProjections,
      List<String> attnProjections) {
    List<String> ignore = new ArrayList<>();
    for (int layer = 0; layer < numLayers; layer++) {
      String prefix = checkpointPrefix.replace("{layer}", Integer.toString(layer));
      if (!attnQuantizedLayers.contains(layer)) {
        attnProjections.forEach(name -> ignore.add(prefix + "." + name));
      }
      if (!mlpQuantizedLayers.contains(layer)) {
        mlpProjections.forEach(name -> ignore.add(prefix + "." + name));
      }
    }
    ignore.add("lm_head");
    return ignore;
  }
}
