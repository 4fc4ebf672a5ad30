package io.jquant.cli;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Bf16Bulk;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/** Conversions between stored float tensors (F32, BF16, F16) and float32 arrays, and heap copies of views. */
final class FloatTensors {
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  private FloatTensors() {}

  /** A 2-D F32, BF16 or F16 tensor as a float32 matrix (BF16 and F16 widen exactly). */
  static FloatMatrix toMatrix(TensorView view) {
    List<Long> shape = view.shape();
    if (shape.size() != 2) {
      throw new BadInputException("tensor " + view.name() + ": expected a 2-D weight, got shape " + shape);
    }
    if (view.dtype() != StorageDType.F32 && view.dtype() != StorageDType.BF16
        && view.dtype() != StorageDType.F16) {
      throw new BadInputException("tensor " + view.name() + ": stored as " + view.dtype()
          + "; only F32, BF16 and F16 weights can be quantized");
    }
    float[] values = toFloats(view);
    // toFloats holds every element, so each dimension of a non-empty matrix fits an int.
    if (values.length == 0) {
      throw new BadInputException("tensor " + view.name() + ": empty shape " + shape);
    }
    return new FloatMatrix(view.name(), (int) (long) shape.get(0), (int) (long) shape.get(1), values);
  }

  /** The values of an F32, BF16 or F16 tensor of any shape, widened exactly to float32. */
  static float[] toFloats(TensorView view) {
    try {
      return view.toFloats();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /**
   * {@code values} stored as {@code dtype} (F32 raw bits, BF16 round to nearest even), named {@code name}.
   * The bytes are a segment over a float or short array, not a byte array: an F32 weight of more than 2^29
   * elements has more bytes than a byte array holds. The arrays' byte order is the platform's; on a
   * big-endian one the elements are swapped first so that the segment is little-endian, as safetensors
   * stores. The segment may share {@code values}: the caller hands them over.
   */
  static TensorView encode(String name, float[] values, StorageDType dtype, List<Long> shape) {
    boolean swap = ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN;
    MemorySegment bytes = switch (dtype) {
      case F32 -> {
        if (!swap) {
          yield MemorySegment.ofArray(values);
        }
        int[] bits = new int[values.length];
        for (int i = 0; i < bits.length; i++) {
          bits[i] = Integer.reverseBytes(Float.floatToRawIntBits(values[i]));
        }
        yield MemorySegment.ofArray(bits);
      }
      case BF16 -> {
        short[] bits = new short[values.length];
        Bf16Bulk.encode(values, 0, bits, 0, values.length);
        if (swap) {
          for (int i = 0; i < bits.length; i++) {
            bits[i] = Short.reverseBytes(bits[i]);
          }
        }
        yield MemorySegment.ofArray(bits);
      }
      default -> throw new IllegalStateException("no float encoding for " + dtype);
    };
    return new TensorView(name, dtype, shape, bytes);
  }

  /** A heap copy of {@code view}'s bytes, under the same name. */
  static StoredTensor copy(TensorView view) {
    return new StoredTensor(view.name(), view.dtype(), view.shape(),
        view.data().toArray(ValueLayout.JAVA_BYTE));
  }

  /** The float32 scalar of a one-element F32 tensor ({@code []} or {@code [1]}). */
  static float scalar(TensorView view) {
    if (view.dtype() != StorageDType.F32 || view.elementCount() != 1) {
      throw new BadInputException("tensor " + view.name() + ": expected one F32 value, got " + view.dtype()
          + " " + view.shape());
    }
    return view.data().get(F32, 0);
  }
}
