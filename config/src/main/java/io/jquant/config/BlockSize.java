package io.jquant.config;

import io.jquant.annotations.rules.RuleId;
import io.jquant.annotations.rules.SpecMessages;
import java.util.List;

/**
 * The shape of one scale block, MAX's {@code block_size: tuple[int, int]}: {@code rows} along M (inputs) or N
 * (weights), {@code cols} along K. Counted in <em>logical elements</em>, never packed bytes: NVFP4 is
 * {@code (1, 16)} as MAX's Hugging Face parser writes it, not the {@code (1, 8)} of MAX's old docstring.
 *
 * @param rows block extent along M or N, positive
 * @param cols block extent along K, positive
 */
public record BlockSize(int rows, int cols) {
  /** Rejects a non-positive extent with the words of rule {@code Scales.BlockShape}. */
  public BlockSize {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(SpecMessages.render(RuleId.SCALES_BLOCK_SHAPE,
          SpecMessages.blockShape("", List.of(rows, cols))));
    }
  }

  /** The {@code [rows, cols]} list the rule set works on. */
  public List<Integer> toList() {
    return List.of(rows, cols);
  }

  /** The block size in {@code list}, which must hold exactly two integers. */
  public static BlockSize of(List<Integer> list) {
    if (list.size() != 2) {
      throw new IllegalArgumentException("a block size is two integers (rows, cols), got " + list);
    }
    return new BlockSize(list.get(0), list.get(1));
  }

  /** {@code (1, 16)}, as MAX prints the tuple. */
  @Override
  public String toString() {
    return "(" + rows + ", " + cols + ")";
  }
}
