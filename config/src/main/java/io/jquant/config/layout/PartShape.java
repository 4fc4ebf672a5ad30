package io.jquant.config.layout;

import io.jquant.config.BlockSize;
import java.util.List;

/**
 * The shapes a layout's tensor may have, from the weight's logical shape {@code [N, K]} (K in elements, not
 * packed bytes) and the FP8 block. The first shape is the canonical one; the others are what other producers
 * write for the same values (compressed-tensors' {@code [1]} for a scalar, {@code [N]} for {@code [N, 1]}).
 */
@FunctionalInterface
public interface PartShape {
  /** The accepted shapes, canonical first. */
  List<List<Long>> shapes(long rows, long cols, BlockSize block);

  /** The weight itself: {@code [N, K]}, or {@code [N, ceil(K/2)]} bytes for packed FP4. */
  static PartShape weight(boolean packed) {
    return (rows, cols, block) -> List.of(List.of(rows, packed ? Math.ceilDiv(cols, 2) : cols));
  }

  /** One scale per {@code size} elements along K: {@code [N, ceil(K/size)]}. */
  static PartShape perGroup(int size) {
    return (rows, cols, block) -> List.of(List.of(rows, Math.ceilDiv(cols, size)));
  }

  /** One value: {@code []} or {@code [1]}. */
  static PartShape scalar() {
    return (rows, cols, block) -> List.of(List.of(), List.of(1L));
  }

  /** One value per row: {@code [N, 1]} or {@code [N]}. */
  static PartShape perRow() {
    return (rows, cols, block) -> List.of(List.of(rows, 1L), List.of(rows));
  }

  /** One value per row or one for the tensor: {@code [N, 1]}, {@code [N]}, {@code []} or {@code [1]}. */
  static PartShape perRowOrScalar() {
    return (rows, cols, block) -> List.of(List.of(rows, 1L), List.of(rows), List.of(), List.of(1L));
  }

  /** One value per FP8 block: {@code [ceil(N/rows), ceil(K/cols)]}. */
  static PartShape perBlock() {
    return (rows, cols, block) -> List.of(
        List.of(Math.ceilDiv(rows, (long) block.rows()), Math.ceilDiv(cols, (long) block.cols())));
  }
}
