package io.jquant.annotations.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The words of the block-size rules, shared with the runtime's spec values, which refuse the same
 * mistakes when they are constructed.
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

  /** {@code [jquant:Rule.Id] message}, as a {@link Violation} renders it. */
  public static String render(RuleId rule, String message) {
    return "[" + rule.tag() + "] " + message;
  }
}
