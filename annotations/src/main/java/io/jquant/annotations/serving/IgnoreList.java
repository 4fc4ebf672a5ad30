package io.jquant.annotations.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The module names a serving engine must leave unquantized: every projection of every layer whose MLP or
 * attention is not in the quantized set, by exact name (MAX's compressed-tensors and FP8 parsers match exact
 * names only), then {@code lm_head}, which jquant never quantizes. modelopt lists also carry subtree globs
 * ({@link #withSubtrees}).
 */
public final class IgnoreList {
  /** Hugging Face Llama names, used for a role that no layer class declares. */
  public static final List<String> LLAMA_MLP = List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");

  public static final List<String> LLAMA_ATTENTION = List.of("self_attn.q_proj", "self_attn.k_proj",
      "self_attn.v_proj", "self_attn.o_proj");

  /** The module jquant never quantizes; compressed-tensors targets every Linear unless it is ignored. */
  public static final String LM_HEAD = "lm_head";

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
      String prefix = layerPrefix(checkpointPrefix, layer);
      if (!attnQuantizedLayers.contains(layer)) {
        attnProjections.forEach(name -> ignore.add(prefix + "." + name));
      }
      if (!mlpQuantizedLayers.contains(layer)) {
        mlpProjections.forEach(name -> ignore.add(prefix + "." + name));
      }
    }
    ignore.add(LM_HEAD);
    return ignore;
  }

  /**
   * {@code ignore} followed by a subtree glob ({@code model.layers.0.self_attn*}) for each layer whose MLP or
   * attention projections are all in it, when the role's projections share a parent module that holds no
   * projection of the other role. MAX's newer modelopt parser ({@code _modelopt_layer_subtree_ignored})
   * honours only such globs and ignores exact projection names; vLLM's modelopt config matches both.
   */
  public static List<String> withSubtrees(List<String> ignore, int numLayers, String checkpointPrefix,
      List<String> mlpProjections, List<String> attnProjections) {
    List<String> result = new ArrayList<>(ignore);
    String mlpParent = sharedParent(mlpProjections, attnProjections);
    String attnParent = sharedParent(attnProjections, mlpProjections);
    Set<String> listed = Set.copyOf(ignore);
    for (int layer = 0; layer < numLayers; layer++) {
      String prefix = layerPrefix(checkpointPrefix, layer);
      addSubtree(result, listed, prefix, attnParent, attnProjections);
      addSubtree(result, listed, prefix, mlpParent, mlpProjections);
    }
    return result;
  }

  private static void addSubtree(List<String> result, Set<String> listed, String prefix, String parent,
      List<String> projections) {
    if (parent == null || projections.isEmpty()) {
      return;
    }
    boolean all = projections.stream().allMatch(p -> listed.contains(prefix + "." + p));
    String glob = prefix + "." + parent + "*";
    if (all && !listed.contains(glob)) {
      result.add(glob);
    }
  }

  /**
   * The longest dotted parent all of {@code projections} lie under ({@code "mlp"} for Llama's MLP), or null
   * when there is none or a projection of {@code others} lies under it too (its glob would cover them).
   */
  static String sharedParent(List<String> projections, List<String> others) {
    if (projections.isEmpty()) {
      return null;
    }
    String[] common = parentSegments(projections.get(0));
    int length = common.length;
    for (String projection : projections) {
      String[] parts = parentSegments(projection);
      int i = 0;
      while (i < Math.min(length, parts.length) && parts[i].equals(common[i])) {
        i++;
      }
      length = i;
    }
    if (length == 0) {
      return null;
    }
    String parent = String.join(".", List.of(common).subList(0, length));
    // The glob "<parent>*" matches every name that starts with the parent.
    return others.stream().anyMatch(o -> o.startsWith(parent)) ? null : parent;
  }

  private static String[] parentSegments(String projection) {
    int dot = projection.lastIndexOf('.');
    return dot < 0 ? new String[0] : projection.substring(0, dot).split("\\.");
  }

  private static String layerPrefix(String checkpointPrefix, int layer) {
    return checkpointPrefix.replace("{layer}", Integer.toString(layer));
  }
}
