package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.QuantChecks.requireLength;
import static io.jquant.runtime.quant.QuantChecks.sibling;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Int8Bulk;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A symmetric INT8 weight {@code [N, K]} with one float32 dequantization scale per row (output channel), as
 * MAX's and vLLM's int8 W8A8 use it (docs/FORMATS.md §4.5): a value is {@code q · scale[row]}.
 *
 * <p>The arrays are owned by the record and shared, not copied, by {@link #tensors()}.
 *
 * @param name the weight's name
 * @param rows N, positive
 * @param cols K, positive
 * @param data {@code N · K} signed bytes, row-major
 * @param scales N float32 scales
 */
public record Int8Weights(String name, int rows, int cols, byte[] data, float[] scales)
    implements QuantizedWeights {

  /** Checks both arrays against the shape, naming the offending tensor. */
  public Int8Weights {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(scales, "scales");
    QuantChecks.requireShape(name, rows, cols);
    requireLength(data.length, sibling(name, "weight"), "I8", rows, cols, rows, cols);
    requireLength(scales.length, sibling(name, "weight_scale"), "F32", rows, 1, rows, cols);
  }

  /** {@code q · scale[row]} per element, a float32 product. */
  @Override
  public FloatMatrix dequantize() {
    float[] values = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      Int8Bulk.decodeScaled(data, r * cols, scales[r], values, r * cols, cols);
    }
    return new FloatMatrix(name, rows, cols, values);
  }

  /** {@code weight} I8 {@code [N, K]} and {@code weight_scale} F32 {@code [N, 1]}. */
  @Override
  public List<StoredTensor> tensors() {
    return List.of(
        StoredTensor.of("weight", StorageDType.I8, data, rows, cols),
        StoredTensor.of("weight_scale", StorageDType.F32, LittleEndian.float32(scales), rows, 1));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Int8Weights that
        && name.equals(that.name)
        && rows == that.rows
        && cols == that.cols
        && Arrays.equals(data, that.data)
        && Arrays.equals(scales, that.scales);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rows, cols, Arrays.hashCode(data), Arrays.hashCode(scales));
  }

  @Override
  public String toString() {
    return "Int8Weights[" + name + " [" + rows + ", " + cols + "]]";
  }
}
