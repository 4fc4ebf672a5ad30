package io.jquant.annotations.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The words of the rules that the config and runtime values check again when they are constructed (block
 * sizes, layer counts), so a mistake reads the same at compile time and at run time.
 */
public final class SpecMessages {
  private SpecMessages() {}

  /** {@link RuleId#SCALES_BLOCK_MISSING}, for {@code "input"} or {@code "weight"} scales. */
  public static String blockMissing(String which) {
    return "BLOCK " + which + " scales need a block size {rows, cols}.";
  }

  /** {@link RuleId#SCALES_BLOCK_SHAPE}; {@code which} is "input", "weight" or "" (unknown). */
  public static String blockShape(String which, List<Integer> block) {
    String subject = which.isEmpty() ? "a scale" : ("input".equals(which) ? "an " : "a ") + which + " scale";
    return subject + " block size is two positive integers {rows, cols}, not "
        + block.stream().map(String::valueOf).collect(Collectors.joining(", ", "{", "}")) + ".";
  }

  /**
   * {@link RuleId#MODEL_NUM_LAYERS}: what is wrong with a layer count, or null when it is between 1 and
   * {@link LayerRanges#MAX_LAYERS}.
   */
  public static String numLayers(long numLayers) {
    if (numLayers <= 0) {
      return "a model has at least one layer; numLayers is " + numLayers + ".";
    }
    if (numLayers > LayerRanges.MAX_LAYERS) {
      // Layer sets are materialized; an absurd count (a typo, a hostile file) must not exhaust the heap.
      return "jquant supports at most " + LayerRanges.MAX_LAYERS + " layers; numLayers is " + numLayers + ".";
    }
    return null;
  }

  /** Throws {@link IllegalArgumentException} with {@link #numLayers}'s words, rendered with the rule id. */
  public static void requireNumLayers(long numLayers) {
    String problem = numLayers(numLayers);
    if (problem != null) {
      throw new IllegalArgumentException(render(RuleId.MODEL_NUM_LAYERS, problem));
    }
  }

  /** {@code [jquant:Rule.Id] message}, as a {@link Violation} renders it. */
  public static String render(RuleId rule, String message) {
    return "[" + rule.tag() + "] " + message;
  }
}
