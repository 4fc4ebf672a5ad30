package io.jquant.runtime.tensor;

import io.jquant.config.tensor.StorageDType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tensor as a checkpoint stores it: a name, a storage type, a shape and the little-endian, row-major bytes.
 * The quantizers produce these with the real checkpoints' names, types and shapes; the checkpoint writer
 * writes them as they are.
 *
 * @param name the name relative to the layer, e.g. {@code "weight_scale"}
 * @param dtype the storage type
 * @param shape dimensions, outermost first; empty for a scalar
 * @param bytes exactly {@code product(shape) · bits / 8} bytes; owned by the tensor, not copied
 */
public record StoredTensor(String name, StorageDType dtype, List<Long> shape, byte[] bytes) {
  public StoredTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, () -> "tensor " + name + ": no dtype");
    Objects.requireNonNull(shape, () -> "tensor " + name + ": no shape");
    Objects.requireNonNull(bytes, () -> "tensor " + name + ": no bytes");
    shape = List.copyOf(shape);
    long elements = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("tensor " + name + ": negative dimension in shape " + shape);
      }
      elements = Math.multiplyExact(elements, dim);
    }
    long expectedBits = Math.multiplyExact(elements, dtype.bits());
    if (expectedBits % 8 != 0 || expectedBits / 8 != bytes.length) {
      throw new IllegalArgumentException(
          "tensor " + name + ": " + dtype + " " + shape + " needs " + expectedBits + " bits, got "
              + bytes.length + " bytes");
    }
  }

  /** A tensor of the given dimensions. */
  public static StoredTensor of(String name, StorageDType dtype, byte[] bytes, long... shape) {
    return new StoredTensor(name, dtype, Arrays.stream(shape).boxed().toList(), bytes);
  }

  /** The same tensor over a heap segment of {@link #bytes()}, without a copy. */
  public TensorView view() {
    return new TensorView(name, dtype, shape, MemorySegment.ofArray(bytes));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredTensor that
        && name.equals(that.name)
        && dtype == that.dtype
        && shape.equals(that.shape)
        && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, shape, Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    return "StoredTensor[" + name + ", " + dtype + " " + shape + ", " + bytes.length + " bytes]";
  }
}
