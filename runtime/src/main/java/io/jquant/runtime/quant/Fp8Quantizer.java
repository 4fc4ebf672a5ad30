package io.jquant.runtime.quant;

import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import java.util.Arrays;

/**
 * Quantizes a weight to FP8 E4M3 with float32 scales per tensor, row or block (docs/FORMATS.md §4.2-4.4): per
 * group, {@code scale = amax/448}, then {@code q = E4M3(w / scale)}, a float32 division (modelopt, DeepSeek,
 * compressed-tensors) with the saturating, round-to-nearest-even codec. An all-zero group gets scale 1.0 and
 * zero data (never DeepSeek's 0/0); a nonzero group whose {@code amax/448} underflows to 0 is refused.
 *
 * <p>Blocks need not divide the shape: the last block row and column are short, and their scales come from
 * their real elements only, as DeepSeek's {@code weight_quant_kernel} masks them.
 */
public final class Fp8Quantizer implements WeightQuantizer {
  /** The block extent of DeepSeek-V3 and the other block-scaled FP8 checkpoints. */
  public static final int DEFAULT_BLOCK = 128;

  private final Fp8Granularity granularity;
  private final int blockRows;
  private final int blockCols;

  private Fp8Quantizer(Fp8Granularity granularity, int blockRows, int blockCols) {
    this.granularity = granularity;
    this.blockRows = blockRows;
    this.blockCols = blockCols;
  }

  /** One scale for the whole tensor. */
  public static Fp8Quantizer tensorwise() {
    return new Fp8Quantizer(Fp8Granularity.TENSOR, 0, 0);
  }

  /** One scale per row (output channel). */
  public static Fp8Quantizer rowwise() {
    return new Fp8Quantizer(Fp8Granularity.ROW, 0, 0);
  }

  /** One scale per 128x128 block. */
  public static Fp8Quantizer blockwise() {
    return blockwise(DEFAULT_BLOCK, DEFAULT_BLOCK);
  }

  /**
   * One scale per {@code blockRows x blockCols} block.
   *
   * @throws IllegalArgumentException if either extent is not positive
   */
  public static Fp8Quantizer blockwise(int blockRows, int blockCols) {
    if (blockRows < 1 || blockCols < 1) {
      throw new IllegalArgumentException(
          "an FP8 scale block needs positive extents, got [" + blockRows + ", " + blockCols + "]");
    }
    return new Fp8Quantizer(Fp8Granularity.BLOCK, blockRows, blockCols);
  }

  /** The granularity this quantizer writes. */
  public Fp8Granularity granularity() {
    return granularity;
  }

  @Override
  public Fp8Weights quantize(FloatMatrix weight) {
    QuantChecks.requireShaped(weight);
    int rows = weight.rows();
    int cols = weight.cols();
    int bn = switch (granularity) {
      case TENSOR -> rows;
      case ROW -> 1;
      case BLOCK -> blockRows;
    };
    int bk = granularity == Fp8Granularity.BLOCK ? blockCols : cols;
    int groupRows = Math.ceilDiv(rows, bn);
    int groupCols = Math.ceilDiv(cols, bk);
    float[] values = weight.values();
    byte[] data = new byte[rows * cols];
    float[] scales = new float[groupRows * groupCols];
    if (granularity == Fp8Granularity.TENSOR) {
      // One scale: one pass for the amax (which also checks finiteness), one call to encode.
      scales[0] = QuantChecks.symmetricScale(weight, AbsMax.of(values, 0, values.length), Fp8E4M3.MAX,
          () -> group(0, 0));
      Fp8E4M3Bulk.encodeDivided(values, 0, scales[0], data, 0, values.length);
      return new Fp8Weights(weight.name(), rows, cols, granularity, bn, bk, data, scales);
    }
    float[] maxima = new float[groupCols];
    float[] rowMaxima = new float[groupCols];
    for (int gr = 0; gr < groupRows; gr++) {
      int firstRow = gr * bn;
      int endRow = Math.min(rows, firstRow + bn);
      Arrays.fill(maxima, 0.0f);
      for (int r = firstRow; r < endRow; r++) {
        AbsMax.ofBlocks(values, r * cols, cols, bk, rowMaxima, 0);
        for (int gc = 0; gc < groupCols; gc++) {
          maxima[gc] = Math.max(maxima[gc], rowMaxima[gc]);
        }
      }
      for (int gc = 0; gc < groupCols; gc++) {
        int groupRow = gr;
        int groupCol = gc;
        scales[gr * groupCols + gc] = QuantChecks.symmetricScale(weight, maxima[gc], Fp8E4M3.MAX,
            () -> group(groupRow, groupCol));
      }
      for (int r = firstRow; r < endRow; r++) {
        Fp8E4M3Bulk.encodeBlocksDivided(values, r * cols, cols, bk, scales, gr * groupCols, data, r * cols);
      }
    }
    return new Fp8Weights(weight.name(), rows, cols, granularity, bn, bk, data, scales);
  }

  private String group(int groupRow, int groupCol) {
    return switch (granularity) {
      case TENSOR -> "the tensor";
      case ROW -> "row " + groupRow;
      case BLOCK -> "block [" + groupRow + ", " + groupCol + "]";
    };
  }
}
