package io.jquant.runtime.quant;

import static io.jquant.runtime.quant.QuantChecks.requireLength;
import static io.jquant.runtime.quant.QuantChecks.sibling;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.tensor.StoredTensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An FP8 E4M3 weight {@code [N, K]} with float32 dequantization scales (docs/FORMATS.md §4.2-4.4, §4.6): a
 * value is {@code E4M3 · scale} of its group.
 *
 * <p>Each scale covers a {@code blockRows x blockCols} group: {@code [N, K]} for
 * {@link Fp8Granularity#TENSOR}, {@code [1, K]} for {@link Fp8Granularity#ROW}, the block for
 * {@link Fp8Granularity#BLOCK}. Scales are row-major over the groups,
 * {@code ceil(N/blockRows) x ceil(K/blockCols)}; groups on the last row or column of groups are short when
 * the block does not divide the shape.
 *
 * <p>The arrays are owned by the record and shared, not copied, by {@link #tensors()}.
 *
 * @param name the weight's name
 * @param rows N, positive
 * @param cols K, positive
 * @param granularity which elements share a scale
 * @param blockRows the rows a scale covers: N for TENSOR, 1 for ROW
 * @param blockCols the columns a scale covers: K for TENSOR and ROW
 * @param data {@code N · K} E4M3 bytes
 * @param scales one float32 per group
 */
public record Fp8Weights(String name, int rows, int cols, Fp8Granularity granularity, int blockRows,
    int blockCols, byte[] data, float[] scales) implements QuantizedWeights {

  /** Checks the group shape against the granularity and both arrays against the shape. */
  public Fp8Weights {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(granularity, "granularity");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(scales, "scales");
    QuantChecks.requireShape(name, rows, cols);
    boolean groupFits = switch (granularity) {
      case TENSOR -> blockRows == rows && blockCols == cols;
      case ROW -> blockRows == 1 && blockCols == cols;
      case BLOCK -> blockRows > 0 && blockCols > 0;
    };
    if (!groupFits) {
      throw new IllegalArgumentException("tensor " + name + ": a " + granularity + " scale of weight [" + rows
          + ", " + cols + "] cannot cover [" + blockRows + ", " + blockCols + "] elements");
    }
    requireLength(data.length, sibling(name, "weight"), "F8_E4M3", rows, cols, rows, cols);
    requireLength(scales.length, sibling(name, scaleTensor(granularity)), "F32",
        Math.ceilDiv(rows, blockRows),
        Math.ceilDiv(cols, blockCols), rows, cols);
  }

  /** A tensor-wise weight from its contents: {@code weight} and the scalar {@code weight_scale}. */
  public static Fp8Weights tensorwise(String name, int rows, int cols, byte[] data, float scale) {
    return new Fp8Weights(name, rows, cols, Fp8Granularity.TENSOR, rows, cols, data, new float[] { scale });
  }

  /** A row-wise weight from its contents: {@code weight} and {@code weight_scale} {@code [N, 1]}. */
  public static Fp8Weights rowwise(String name, int rows, int cols, byte[] data, float[] scales) {
    return new Fp8Weights(name, rows, cols, Fp8Granularity.ROW, 1, cols, data, scales);
  }

  /** A block-scaled weight from its contents: {@code weight} and {@code weight_scale_inv}. */
  public static Fp8Weights blockwise(String name, int rows, int cols, int blockRows, int blockCols,
      byte[] data,
      float[] scales) {
    return new Fp8Weights(name, rows, cols, Fp8Granularity.BLOCK, blockRows, blockCols, data, scales);
  }

  /**
   * The checkpoint name of the scale tensor: {@code weight_scale_inv} for blocks, else {@code weight_scale}.
   */
  public static String scaleTensor(Fp8Granularity granularity) {
    return granularity == Fp8Granularity.BLOCK ? "weight_scale_inv" : "weight_scale";
  }

  /** The number of group columns: {@code ceil(K/blockCols)}. */
  public int scaleCols() {
    return Math.ceilDiv(cols, blockCols);
  }

  /** The scale of the element {@code [row, col]}. */
  public float scaleAt(int row, int col) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(col, cols);
    return scales[(row / blockRows) * scaleCols() + col / blockCols];
  }

  /** {@code E4M3 · scale} per element, a float32 product. */
  @Override
  public FloatMatrix dequantize() {
    float[] values = new float[rows * cols];
    int scaleCols = scaleCols();
    for (int r = 0; r < rows; r++) {
      Fp8E4M3Bulk.decodeBlocksScaled(data, r * cols, cols, blockCols, scales, (r / blockRows) * scaleCols,
          values,
          r * cols);
    }
    return new FloatMatrix(name, rows, cols, values);
  }

  /**
   * {@code weight} F8_E4M3 {@code [N, K]} and the scales: {@code weight_scale} F32 {@code []} (TENSOR) or
   * {@code [N, 1]} (ROW), or {@code weight_scale_inv} F32 {@code [ceil(N/bn), ceil(K/bk)]} (BLOCK).
   */
  @Override
  public List<StoredTensor> tensors() {
    byte[] scaleBytes = LittleEndian.float32(scales);
    StoredTensor scale = switch (granularity) {
      case TENSOR -> StoredTensor.of("weight_scale", StorageDType.F32, scaleBytes);
      case ROW -> StoredTensor.of("weight_scale", StorageDType.F32, scaleBytes, rows, 1);
      case BLOCK -> StoredTensor.of("weight_scale_inv", StorageDType.F32, scaleBytes,
          Math.ceilDiv(rows, blockRows), scaleCols());
    };
    return List.of(StoredTensor.of("weight", StorageDType.F8_E4M3, data, rows, cols), scale);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Fp8Weights that
        && name.equals(that.name)
        && rows == that.rows
        && cols == that.cols
        && granularity == that.granularity
        && blockRows == that.blockRows
        && blockCols == that.blockCols
        && Arrays.equals(data, that.data)
        && Arrays.equals(scales, that.scales);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, rows, cols, granularity, blockRows, blockCols, Arrays.hashCode(data),
        Arrays.hashCode(scales));
  }

  @Override
  public String toString() {
    return "Fp8Weights[" + name + " [" + rows + ", " + cols + "], " + granularity + " [" + blockRows + ", "
        + blockCols + "]]";
  }
}
