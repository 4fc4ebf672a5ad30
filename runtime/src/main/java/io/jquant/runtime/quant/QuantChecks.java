package io.jquant.runtime.quant;

import io.jquant.runtime.tensor.TensorView;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The input checks every quantizer and reader shares, so all of them refuse bad input with the same words.
 */
final class QuantChecks {
  private QuantChecks() {}

  /**
   * {@code rows · cols}, the length of a dequantized weight, refused when it does not fit a Java array: an
   * FP4 weight's packed bytes can hold up to 2^32 elements.
   */
  static int dequantizedLength(String name, int rows, int cols) {
    long length = (long) rows * cols;
    if (length > TensorView.MAX_ARRAY_LENGTH) {
      throw new IllegalArgumentException("tensor " + name + ": [" + rows + ", " + cols + "] has " + length
          + " elements, more than a float32 array can hold, so it cannot be dequantized whole");
    }
    return (int) length;
  }

  /**
   * The checks before the first pass of a quantizer that checks finiteness within that pass, from the maxima
   * it computes anyway: a null or empty weight is refused here, and
   * {@link #requireFinite(FloatMatrix, float)} does the rest with the same words as
   * {@link FloatMatrix#requireFinite()}.
   */
  static FloatMatrix requireShaped(FloatMatrix weight) {
    Objects.requireNonNull(weight, "weight");
    requireShape(weight.name(), weight.rows(), weight.cols());
    return weight;
  }

  /**
   * Refuses the weight if {@code amax}, the largest magnitude of some of its elements, is not finite: NaN and
   * Inf propagate into amax, so one of those elements is not finite, and {@link FloatMatrix#requireFinite()}
   * names the first of the whole weight.
   */
  static void requireFinite(FloatMatrix weight, float amax) {
    if (!Float.isFinite(amax)) {
      weight.requireFinite();
      throw new IllegalStateException(
          "tensor " + weight.name() + ": amax " + amax + " but all values finite");
    }
  }

  /** Refuses a shape without rows or columns: no format has a scale layout for it. */
  static void requireShape(String name, int rows, int cols) {
    Objects.requireNonNull(name, "name");
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("tensor " + name + ": empty shape [" + rows + ", " + cols
          + "]; a quantized weight needs at least one row and one column");
    }
  }

  /**
   * Refuses an array whose length is not {@code shapeRows · shapeCols}, naming the tensor, the shape it must
   * have and the weight shape that implies it.
   */
  static void requireLength(int length, String tensor, String dtype, long shapeRows, long shapeCols,
      int weightRows, int weightCols) {
    long expected = shapeRows * shapeCols;
    if (length != expected) {
      throw new IllegalArgumentException("tensor " + tensor + ": weight [" + weightRows + ", " + weightCols
          + "] needs " + dtype + " [" + shapeRows + ", " + shapeCols + "] = " + expected + " elements, got "
          + length);
    }
  }

  /**
   * The full name of a tensor beside the weight: {@code "a.b.weight"} and {@code "weight_scale"} give
   * {@code "a.b.weight_scale"}; a weight name not ending in {@code weight} gets {@code ".weight_scale"}
   * added.
   */
  static String sibling(String weightName, String tensor) {
    if (weightName.equals("weight")) {
      return tensor;
    }
    if (weightName.endsWith(".weight")) {
      return weightName.substring(0, weightName.length() - "weight".length()) + tensor;
    }
    return weightName + "." + tensor;
  }

  /**
   * The symmetric dequantization scale {@code amax / max} of one group (FP8 tensor, row or block; INT8 row):
   * 1.0 for an all-zero group, never 0/0 (jquant's choice, docs/FORMATS.md top table). A nonzero amax so
   * small that the quotient underflows to 0 in float32 is refused, since dividing by that scale gives only
   * ±Inf.
   *
   * @param group the group for the message, e.g. {@code "row 3"}
   */
  static float symmetricScale(float amax, float max, String name, String group) {
    if (amax == 0.0f) {
      return 1.0f;
    }
    float scale = amax / max;
    if (scale == 0.0f) {
      throw new IllegalArgumentException("tensor " + name + ": " + group + " has amax " + amax
          + ", too small to scale: amax/" + max + " underflows to 0 in float32");
    }
    return scale;
  }

  /**
   * {@link #symmetricScale(float, float, String, String)} for a quantizer that checks finiteness within its
   * pass over the groups: a non-finite amax, or an underflow while some later element is not finite, is
   * refused as a non-finite element naming the first one, before any underflow is reported.
   *
   * @param group the group for the message, built only when it is needed
   */
  static float symmetricScale(FloatMatrix weight, float amax, float max, Supplier<String> group) {
    requireFinite(weight, amax);
    if (amax != 0.0f && amax / max == 0.0f) {
      weight.requireFinite();
      return symmetricScale(amax, max, weight.name(), group.get());
    }
    return amax == 0.0f ? 1.0f : amax / max;
  }
}
