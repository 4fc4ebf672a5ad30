package io.jquant.annotations.rules;

import io.jquant.annotations.DType;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import java.util.List;
import java.util.Objects;

/**
 * An activation scale spec as the rule set sees it. {@code block} and {@code activationUpperBound} may be
 * null (absent); {@code block} may be malformed, which the rules report.
 */
public record InputSpec(
    ScaleGranularity granularity,
    ScaleOrigin origin,
    DType dtype,
    List<Integer> block,
    Double activationUpperBound) {
  public InputSpec {
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(dtype, "dtype");
    block = block == null ? null : List.copyOf(block);
  }

  /** The K granularity MAX's {@code scales_granularity_mnk} derives, or null when the spec is malformed. */
  Integer kGranularity() {
    return switch (granularity) {
      case BLOCK -> BlockSize.isWellFormed(block) ? block.get(1) : null;
      case COLWISE, TENSOR -> -1;
      case ROWWISE -> null;
    };
  }

  @Override
  public String toString() {
    return granularity + " " + origin + " " + dtype
        + (block == null ? "" : " " + BlockSize.format(block))
        + (activationUpperBound == null ? "" : " ub " + activationUpperBound);
  }
}
