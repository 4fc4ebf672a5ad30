package io.jquant.config;

import io.jquant.annotations.DType;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tensor's dtype and shape, like MAX's {@code max.graph.TensorType} without the device.
 *
 * @param dtype element type
 * @param shape dimensions, outermost first, each non-negative; unmodifiable
 */
public record TensorType(DType dtype, List<Long> shape) {
  public TensorType {
    Objects.requireNonNull(dtype, "dtype");
    shape = List.copyOf(shape);
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("tensor dimensions are non-negative, got shape " + shape);
      }
    }
  }

  /** A type of the given dimensions. */
  public static TensorType of(DType dtype, long... shape) {
    return new TensorType(dtype, Arrays.stream(shape).boxed().toList());
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.size();
  }

  /**
   * The number of elements, the product of the dimensions.
   *
   * @throws ArithmeticException if it does not fit a long
   */
  public long elementCount() {
    long count = 1;
    for (long dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }
}
