package io.jquant.runtime.quant;

import io.jquant.runtime.numerics.AbsMax;
import java.util.Objects;

/**
 * A named row-major float32 matrix {@code [rows, cols]}: a weight {@code [N, K]} (out, in) or a batch of
 * activations {@code [M, K]}. The name goes into every error about its values, so a refused element can be
 * found in the checkpoint.
 *
 * @param name the tensor's name, e.g. {@code "model.layers.0.mlp.down_proj.weight"}
 * @param rows the number of rows
 * @param cols the number of columns, the contraction dimension K
 * @param values {@code rows · cols} values, row-major; shared, not copied
 */
public record FloatMatrix(String name, int rows, int cols, float[] values) {
  public FloatMatrix {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(values, "values");
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("tensor " + name + ": negative shape [" + rows + ", " + cols + "]");
    }
    if ((long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "tensor " + name + ": shape [" + rows + ", " + cols + "] needs " + (long) rows * cols
              + " values, got " + values.length);
    }
  }

  /** The value at {@code [row, col]}. */
  public float get(int row, int col) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(col, cols);
    return values[row * cols + col];
  }

  /**
   * Refuses NaN and ±Inf, naming the tensor, the element's position and its flat index: the offline
   * quantizers call this before they compute anything, so a bad weight never becomes a silently wrong scale.
   *
   * @throws IllegalArgumentException on the first non-finite value
   */
  public FloatMatrix requireFinite() {
    // NaN and Inf propagate into the amax, so one vectorised pass clears a finite matrix.
    if (Float.isFinite(AbsMax.of(values, 0, values.length))) {
      return this;
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "tensor " + name + ": element [" + i / cols + ", " + i % cols + "] (index " + i + ") is "
                + values[i] + "; weights must be finite to be quantized");
      }
    }
    return this;
  }

  /** The shape as text, {@code [rows, cols]}, for messages. */
  public String shapeText() {
    return "[" + rows + ", " + cols + "]";
  }
}
