package io.jquant.config.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * MAX's {@code _quantized_layers_and_embedding_dtype}, layer part: which layers' MLP and attention are
 * quantized, given the ignore list and the model's {@link ModuleNames} (MAX's are Llama's). All or nothing
 * per layer: a layer with some projections ignored and some not is an error naming the layer and both groups
 * of projections.
 */
record LayerSets(SortedSet<Integer> mlp, SortedSet<Integer> attn) {
  /**
   * The most (projection, wildcard or regex entry) tests the layer sets may take, about ten seconds: real
   * lists hold a handful of patterns over at most a few hundred layers; 300 patterns over 65,536 layers took
   * minutes when that many layers were allowed.
   */
  static final long MAX_PATTERN_TESTS = 1L << 25;

  /**
   * The layer sets of {@code numLayers} layers; {@code where} leads each error, e.g. the ignore list's path.
   * The sets list every layer, so callers bound {@code numLayers} by {@link HfQuantConfigParser#MAX_LAYERS}
   * ({@link HfParse#maps} does).
   */
  static LayerSets of(int numLayers, IgnorePatterns ignore, String where, ModuleNames names) {
    long tests = (long) numLayers * (names.mlp().size() + names.attention().size()) * ignore.patternCount();
    if (tests > MAX_PATTERN_TESTS) {
      throw new IllegalArgumentException(where + ": " + ignore.patternCount() + " wildcard or regex entries"
          + " over " + numLayers + " layers is " + tests + " pattern tests, more than jquant runs ("
          + MAX_PATTERN_TESTS + "); list exact module names (any number of them is cheap) or fewer patterns");
    }
    SortedSet<Integer> mlp = new TreeSet<>();
    SortedSet<Integer> attn = new TreeSet<>();
    for (int i = 0; i < numLayers; i++) {
      if (quantized(i, names, names.mlp(), "MLP", ignore, where)) {
        mlp.add(i);
      }
      if (quantized(i, names, names.attention(), "attention", ignore, where)) {
        attn.add(i);
      }
    }
    return new LayerSets(mlp, attn);
  }

  private static boolean quantized(int layer, ModuleNames names, List<String> projections, String role,
      IgnorePatterns ignore, String where) {
    List<String> ignored = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String p : projections) {
      (ignore.matches(names.module(layer, p)) ? ignored : kept).add(p);
    }
    if (!ignored.isEmpty() && !kept.isEmpty()) {
      throw new IllegalArgumentException(where + ": layer " + layer + "'s " + role + " is partly quantized: "
          + String.join(", ", ignored) + " ignored, " + String.join(", ", kept) + " quantized; a layer's "
          + role + " is quantized all or nothing (" + String.join(", ", projections) + ")");
    }
    return ignored.isEmpty();
  }
}
