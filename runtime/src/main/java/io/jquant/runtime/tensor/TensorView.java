package io.jquant.runtime.tensor;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Bf16Bulk;
import io.jquant.runtime.numerics.Fp16Bulk;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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
  /**
   * The longest Java array the JVM allocates (a few header words below {@code Integer.MAX_VALUE}): the most
   * values a tensor read whole into one array may hold, here and wherever a weight is widened or rebuilt.
   */
  public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

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

  /** Whether the dtype is one {@link #toFloats()} widens: F32, BF16 or F16. */
  public boolean isFloat() {
    return dtype == StorageDType.F32 || dtype == StorageDType.BF16 || dtype == StorageDType.F16;
  }

  /**
   * Every value as float32, row-major; BF16 and F16 widen exactly.
   *
   * @throws IllegalArgumentException naming the tensor unless it is F32, BF16 or F16 and fits a float array
   */
  public float[] toFloats() {
    if (!isFloat()) {
      throw new IllegalArgumentException("tensor " + name + " is " + dtype + " " + shape
          + "; only F32, BF16 and F16 tensors read as float32");
    }
    if (elementCount() > MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException(
          "tensor " + name + " " + shape + " has more values than a float array holds");
    }
    if (dtype == StorageDType.F32) {
      return data.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
    }
    short[] bits = data.toArray(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
    float[] values = new float[bits.length];
    if (dtype == StorageDType.BF16) {
      Bf16Bulk.decode(bits, 0, values, 0, bits.length);
    } else {
      Fp16Bulk.decode(bits, 0, values, 0, bits.length);
    }
    return values;
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
