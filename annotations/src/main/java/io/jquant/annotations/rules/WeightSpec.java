package io.jquant.annotations.rules;

import io.jquant.annotations.DType;
import io.jquant.annotations.ScaleGranularity;
import java.util.List;
import java.util.Objects;

/** A weight scale spec as the rule set sees it; {@code block} may be null or malformed. */
public record WeightSpec(ScaleGranularity granularity, DType dtype, List<Integer> block) {
  public WeightSpec {
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(dtype, "dtype");
    block = block == null ? null : List.copyOf(block);
  }

  /** The K granularity MAX's {@code scales_granularity_mnk} derives, or null when the spec is malformed. */
  Integer kGranularity() {
    return switch (granularity) {
      case BLOCK -> BlockSize.isWellFormed(block) ? block.get(1) : null;
      case ROWWISE, TENSOR -> -1;
      case COLWISE -> null;
    };
  }

  @Override
  public String toString() {
    return granularity + " " + dtype + (block == null ? "" : " " + BlockSize.format(block));
  }
}
