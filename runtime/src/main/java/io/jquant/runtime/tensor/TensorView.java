package io.jquant.runtime.tensor;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/**
 * A tensor whose bytes live in a {@link MemorySegment}: a slice of a memory-mapped checkpoint, or a heap
 * array wrapped by {@link StoredTensor#view()}. Nothing is copied; the segment's lifetime is its owner's.
 *
 * @param name the full or layer-relative tensor name, used in every error about it
 * @param dtype the storage type
 * @param shape dimensions, outermost first; empty for a scalar
 * @param data exactly {@code product(shape) · bits / 8} little-endian, row-major bytes
 */
public record TensorView(String name, StorageDType dtype, List<Long> shape, MemorySegment data) {
  public TensorView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, () -> "tensor " + name + ": no dtype");
    Objects.requireNonNull(shape, () -> "tensor " + name + ": no shape");
    Objects.requireNonNull(data, () -> "tensor " + name + ": no data");
    shape = List.copyOf(shape);
    long expectedBits = Math.multiplyExact(elementCount(name, shape), dtype.bits());
    if (expectedBits % 8 != 0 || expectedBits / 8 != data.byteSize()) {
      throw new IllegalArgumentException("tensor " + name + ": " + dtype + " " + shape + " needs "
          + expectedBits + " bits, got " + data.byteSize() + " bytes");
    }
  }

  /** The number of elements: the product of the shape, 1 for a scalar. */
  public long elementCount() {
    return elementCount(name, shape);
  }

  private static long elementCount(String name, List<Long> shape) {
    long elements = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("tensor " + name + ": negative dimension in shape " + shape);
      }
      elements = Math.multiplyExact(elements, dim);
    }
    return elements;
  }
}
