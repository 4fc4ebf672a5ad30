package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.QuantChecks.requireLength;
import static io.jquant.runtime.quant.QuantChecks.sibling;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.E8M0Bulk;
import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.numerics.Fp8E5M2Bulk;
import io.jquant.runtime.numerics.MxElement;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An MX weight {@code [N, K]} (OCP MX v1.0, docs/FORMATS.md §3): elements {@code P} and one E8M0 scale byte
 * {@code b} per 32 elements along K; a value is {@code P · 2^(b-127)}, and scale 255 makes its whole block
 * NaN.
 *
 * <p>Layout: FP4 rows are {@code ceil(K/2)} bytes, element {@code 2j} in the low nibble (gpt-oss and
 * compressed-tensors order), an odd K leaving the last high nibble 0; FP8 rows are K bytes. Scale rows are
 * {@code ceil(K/32)} raw E8M0 bytes, the last one covering the short final block when 32 does not divide K.
 *
 * <p>The arrays are owned by the record and shared, not copied, by {@link #tensors()}.
 *
 * @param name the weight's name
 * @param rows N, positive
 * @param cols K in elements, positive
 * @param element the element type
 * @param data {@code N · ceil(K/2)} packed FP4 bytes or {@code N · K} FP8 bytes
 * @param scales {@code N · ceil(K/32)} E8M0 bytes
 */
public record MxWeights(String name, int rows, int cols, MxElement element, byte[] data, byte[] scales)
    implements QuantizedWeights {
  /** The number of elements along K that share one E8M0 scale. */
  public static final int BLOCK = 32;

  /** Checks both arrays against the shape, naming the offending tensor. */
  public MxWeights {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(element, "element");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(scales, "scales");
    QuantChecks.requireShape(name, rows, cols);
    requireLength(data.length, sibling(name, "weight"), dataType(element).code(), rows,
        dataCols(element, cols),
        rows, cols);
    requireLength(scales.length, sibling(name, "weight_scale"), "U8", rows, scaleCols(cols), rows, cols);
  }

  /** The stored bytes per row: {@code ceil(K/2)} for FP4, K for FP8. */
  public static int dataCols(MxElement element, int cols) {
    return element == MxElement.FP4_E2M1 ? Math.ceilDiv(cols, 2) : cols;
  }

  /** The scale bytes per row: {@code ceil(K/32)}. */
  public static int scaleCols(int cols) {
    return Math.ceilDiv(cols, BLOCK);
  }

  /** The safetensors type of the element tensor: U8 for packed FP4 (as gpt-oss and modelopt store it). */
  public static StorageDType dataType(MxElement element) {
    return switch (element) {
      case FP4_E2M1 -> StorageDType.U8;
      case FP8_E4M3 -> StorageDType.F8_E4M3;
      case FP8_E5M2 -> StorageDType.F8_E5M2;
    };
  }

  /** {@code P · 2^(b-127)} per element, a float32 product; scale byte 255 gives NaN for its block. */
  @Override
  public FloatMatrix dequantize() {
    float[] values = new float[QuantChecks.dequantizedLength(name, rows, cols)];
    int dataRow = dataCols(element, cols);
    int scaleRow = scaleCols(cols);
    float[] factors = new float[scales.length];
    E8M0Bulk.decode(scales, 0, factors, 0, factors.length);
    for (int r = 0; r < rows; r++) {
      int in = r * dataRow;
      int out = r * cols;
      int first = r * scaleRow;
      switch (element) {
        case FP4_E2M1 -> Fp4E2M1Bulk.decodeBlocksScaled(data, in, cols, BLOCK, factors, first, values, out);
        case FP8_E4M3 -> Fp8E4M3Bulk.decodeBlocksScaled(data, in, cols, BLOCK, factors, first, values, out);
        case FP8_E5M2 -> {
          for (int b = 0; b < scaleRow; b++) {
            int start = b * BLOCK;
            Fp8E5M2Bulk.decodeScaled(data, in + start, factors[first + b], values, out + start,
                Math.min(BLOCK, cols - start));
          }
        }
      }
    }
    return new FloatMatrix(name, rows, cols, values);
  }

  /**
   * {@code weight}: U8 {@code [N, ceil(K/2)]} for FP4, F8_E4M3 or F8_E5M2 {@code [N, K]} for FP8; and
   * {@code weight_scale}: U8 {@code [N, ceil(K/32)]}, raw E8M0 bytes, as vLLM, compressed-tensors and gpt-oss
   * store them (the bits are those of F8_E8M0).
   */
  @Override
  public List<StoredTensor> tensors() {
    return List.of(
        StoredTensor.of("weight", dataType(element), data, rows, dataCols(element, cols)),
        StoredTensor.of("weight_scale", StorageDType.U8, scales, rows, scaleCols(cols)));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MxWeights that
        && name.equals(that.name)
        && rows == that.rows
        && cols == that.cols
        && element == that.element
        && Arrays.equals(data, that.data)
        && Arrays.equals(scales, that.scales);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rows, cols, element, Arrays.hashCode(data), Arrays.hashCode(scales));
  }

  @Override
  public String toString() {
    return "MxWeights[" + name + " [" + rows + ", " + cols + "], " + element + "]";
  }
}
