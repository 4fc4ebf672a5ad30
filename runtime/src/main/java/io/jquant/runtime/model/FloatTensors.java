package io.jquant.runtime.model;

import io.jquant.annotations.DType;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.numerics.Fp16;
import io.jquant.runtime.tensor.TensorView;

/**
 * Float tensors widened to float32 for a source's errors, and float32 values rounded to a narrower float
 * dtype.
 */
final class FloatTensors {
  private FloatTensors() {}

  /**
   * Every value of {@code tensor} as float32, row-major; BF16 and F16 widen exactly.
   *
   * @param source the tensors' description, for the error
   * @throws IllegalArgumentException naming the source, the tensor and its dtype unless it is F32, BF16 or
   * F16, or when it holds more values than a float array
   */
  static float[] widen(String source, TensorView tensor) {
    try {
      return tensor.toFloats();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
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
