package io.jquant.annotations.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Formatting and reading of block sizes, which the rule set keeps as lists so malformed ones can be checked.
 */
public final class BlockSize {
  private BlockSize() {}

  /** {@code (1, 16)}, as MAX prints a tuple. */
  public static String format(List<Integer> block) {
    return block.stream().map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
  }

  /** Whether {@code block} is two positive integers. */
  public static boolean isWellFormed(List<Integer> block) {
    return block != null && block.size() == 2 && block.get(0) > 0 && block.get(1) > 0;
  }
}
