package io.jquant.runtime.model;

import io.jquant.annotations.DType;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.Bf16Bulk;
import io.jquant.runtime.numerics.Fp16;
import io.jquant.runtime.numerics.Fp16Bulk;
import io.jquant.runtime.tensor.StorageDType;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Float tensors widened to float32, and float32 values rounded to a narrower float dtype. */
final class FloatTensors {
  private static final ValueLayout.OfFloat F32 =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private FloatTensors() {}

  /** Whether {@code dtype} is one {@link #widen} reads. */
  static boolean isFloat(StorageDType dtype) {
    return dtype == StorageDType.F32 || dtype == StorageDType.BF16 || dtype == StorageDType.F16;
  }

  /**
   * Every value of {@code tensor} as float32, row-major; BF16 and F16 widen exactly.
   *
   * @param source the tensors' description, for the error
   * @throws IllegalArgumentException naming the tensor and its dtype unless it is F32, BF16 or F16, or when it
   *     holds more values than a float array
   */
  static float[] widen(String source, TensorView tensor) {
    if (!isFloat(tensor.dtype())) {
      throw new IllegalArgumentException(source + ": tensor '" + tensor.name() + "' is " + tensor.dtype() + " "
          + tensor.shape() + "; only F32, BF16 and F16 tensors read as float32");
    }
    if (tensor.elementCount() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(source + ": tensor '" + tensor.name() + "' " + tensor.shape()
          + " has more values than a float array holds");
    }
    int count = (int) tensor.elementCount();
    MemorySegment data = tensor.data();
    float[] values = new float[count];
    if (tensor.dtype() == StorageDType.F32) {
      MemorySegment.copy(data, F32, 0, values, 0, count);
      return values;
    }
    short[] bits = new short[count];
    MemorySegment.copy(data, I16, 0, bits, 0, count);
    if (tensor.dtype() == StorageDType.BF16) {
      Bf16Bulk.decode(bits, 0, values, 0, count);
    } else {
      Fp16Bulk.decode(bits, 0, values, 0, count);
    }
    return values;
  }

  /**
   * Rounds {@code values[from, to)} in place to {@code dtype} (round to nearest, ties to even) and back to
   * float32: BFLOAT16 and FLOAT16 round, FLOAT32 and null leave the values as they are.
   *
   * @throws IllegalArgumentException for any other dtype, naming it and {@code what}
   */
  static void round(float[] values, int from, int to, DType dtype, String what) {
    if (dtype == null || dtype == DType.FLOAT32) {
      return;
    }
    switch (dtype) {
      case BFLOAT16 -> {
        for (int i = from; i < to; i++) {
          values[i] = Bf16.decode(Bf16.encode(values[i]));
        }
      }
      case FLOAT16 -> {
        for (int i = from; i < to; i++) {
          values[i] = Fp16.decode(Fp16.encode(values[i]));
        }
      }
      default -> throw new IllegalArgumentException(what + " " + dtype.wireName()
          + " is not a float dtype values are rounded to; expected float32, bfloat16 or float16");
    }
  }
}
