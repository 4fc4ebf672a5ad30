package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;
import io.jquant.runtime.numerics.Int8Bulk;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.ScaleSwizzle;
import java.util.Objects;

/**
 * Quantized activations {@code [rows, cols]}: codes, one scale per group and the group shape, as a GEMM
 * kernel reads them.
 *
 * <p>A group is {@code groupRows x groupCols} elements that share one scale: {@code (rows, cols)} for one
 * scale per tensor, {@code (1, cols)} per token, {@code (1, b)} for blocks of b along K. A row whose length
 * is not a multiple of b ends in a short group, whose scale comes from its real elements. Group
 * {@code [i, j]} covers rows {@code i·groupRows ..} and columns {@code j·groupCols ..}; its scale is
 * {@code scales[i·scaleCols + j]}.
 *
 * <p>Every value dequantizes as {@code decode(code) · scale}, with for NVFP4 the block scale times the global
 * scale: {@code decode(code) · (scale · globalScale)}, in float32 in that order.
 *
 * <p>The arrays are shared, not copied.
 *
 * @param name the activation tensor's name, for messages
 * @param format the element and scale encodings
 * @param rows M, the tokens
 * @param cols K, the logical elements per row (not packed bytes)
 * @param groupRows rows per scale group: 1, or {@code rows} for one scale per tensor
 * @param groupCols columns per scale group: the block size, or {@code cols} for a whole row
 * @param scaleRows the number of scale groups along M
 * @param scaleCols the number of scale groups along K
 * @param codes row-major, {@link ActivationFormat#codeBytesPerRow} bytes per row: E4M3 or int8 bytes, or
 * packed E2M1 nibbles (element {@code 2j} in the low nibble)
 * @param scales {@code scaleRows · scaleCols} scale values, row-major: the dequantization multipliers (for
 * NVFP4 the decoded E4M3 block scale, without the global scale)
 * @param scaleCodes the raw E4M3 or E8M0 bytes of {@code scales}, same order; empty for FLOAT32 scales
 * @param globalScale NVFP4's per-tensor scale (the {@code input_scale} the GEMM's alpha multiplies in), else
 * 1
 */
public record QuantizedActivations(
    String name,
    ActivationFormat format,
    int rows,
    int cols,
    int groupRows,
    int groupCols,
    int scaleRows,
    int scaleCols,
    byte[] codes,
    float[] scales,
    byte[] scaleCodes,
    float globalScale) {

  /** Checks that the arrays and group counts fit the shape. */
  public QuantizedActivations {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(codes, "codes");
    Objects.requireNonNull(scales, "scales");
    Objects.requireNonNull(scaleCodes, "scaleCodes");
    if (rows < 0 || cols < 0 || groupRows < 0 || groupCols < 0 || scaleRows < 0 || scaleCols < 0) {
      throw new IllegalArgumentException("activations " + name + ": negative shape or group count");
    }
    if ((long) scaleRows * groupRows < rows || (long) scaleCols * groupCols < cols
        || beyond(scaleRows, groupRows, rows) || beyond(scaleCols, groupCols, cols)) {
      throw new IllegalArgumentException("activations " + name + ": " + scaleRows + " x " + scaleCols
          + " groups of " + groupRows + " x " + groupCols + " do not tile [" + rows + ", " + cols + "]");
    }
    if (format.packed() && groupCols % 2 != 0 && scaleCols > 1) {
      throw new IllegalArgumentException(
          "activations " + name + ": packed groups must start on a byte, got groups of " + groupCols);
    }
    long codeBytes = (long) rows * format.codeBytesPerRow(cols);
    if (codes.length != codeBytes) {
      throw new IllegalArgumentException("activations " + name + ": shape [" + rows + ", " + cols + "] in "
          + format + " needs " + codeBytes + " code bytes, got " + codes.length);
    }
    long scaleCount = (long) scaleRows * scaleCols;
    if (scales.length != scaleCount) {
      throw new IllegalArgumentException(
          "activations " + name + ": " + scaleCount + " scales expected, got " + scales.length);
    }
    long scaleCodeCount = format.scaleEncoding() == ActivationFormat.ScaleEncoding.FLOAT32 ? 0 : scaleCount;
    if (scaleCodes.length != scaleCodeCount) {
      throw new IllegalArgumentException(
          "activations " + name + ": " + scaleCodeCount + " scale codes expected, got " + scaleCodes.length);
    }
  }

  /** The bytes of codes per row: {@code cols}, or {@code ceil(cols/2)} when packed. */
  public int codeBytesPerRow() {
    return format.codeBytesPerRow(cols);
  }

  /** The scale of group {@code [scaleRow, scaleCol]}. */
  public float scale(int scaleRow, int scaleCol) {
    return scales[scaleIndex(scaleRow, scaleCol)];
  }

  /**
   * The raw byte of the scale of group {@code [scaleRow, scaleCol]}, read as unsigned.
   *
   * @throws IllegalStateException if the scales are float32
   */
  public int scaleCode(int scaleRow, int scaleCol) {
    requireByteScales();
    return scaleCodes[scaleIndex(scaleRow, scaleCol)] & 0xFF;
  }

  /**
   * The scale codes in the 128x4 interleaved layout the block-scaled tensor cores read
   * ({@link ScaleSwizzle#interleave}), padding scales 0.
   *
   * @throws IllegalStateException if the scales are float32
   */
  public byte[] interleavedScaleCodes() {
    requireByteScales();
    return ScaleSwizzle.interleave(scaleCodes, scaleRows, scaleCols);
  }

  /** The activations these codes and scales stand for, named as the input was. */
  public FloatMatrix dequantize() {
    float[] out = new float[rows * cols];
    int rowBytes = codeBytesPerRow();
    for (int r = 0; r < rows; r++) {
      int scaleRow = r / groupRows;
      for (int g = 0; g < scaleCols; g++) {
        int start = g * groupCols;
        int length = Math.min(groupCols, cols - start);
        float scale = scales[scaleRow * scaleCols + g];
        if (format == ActivationFormat.NVFP4) {
          scale = scale * globalScale;
        }
        int dst = r * cols + start;
        int src = r * rowBytes + (format.packed() ? start / 2 : start);
        switch (format) {
          case FP8_E4M3, MXFP8 -> Fp8E4M3Bulk.decodeScaled(codes, src, scale, out, dst, length);
          case INT8 -> Int8Bulk.decodeScaled(codes, src, scale, out, dst, length);
          case NVFP4, MXFP4 -> Fp4E2M1Bulk.decodeScaled(codes, src, scale, out, dst, length);
        }
      }
    }
    return new FloatMatrix(name, rows, cols, out);
  }

  private int scaleIndex(int scaleRow, int scaleCol) {
    if (scaleRow < 0 || scaleRow >= scaleRows || scaleCol < 0 || scaleCol >= scaleCols) {
      throw new IndexOutOfBoundsException("activations " + name + ": scale [" + scaleRow + ", " + scaleCol
          + "] is outside [" + scaleRows + ", " + scaleCols + "]");
    }
    return scaleRow * scaleCols + scaleCol;
  }

  private void requireByteScales() {
    if (format.scaleEncoding() == ActivationFormat.ScaleEncoding.FLOAT32) {
      throw new IllegalStateException(
          "activations " + name + ": " + format + " scales are float32, not bytes");
    }
  }

  /** Whether {@code count} groups of {@code size} reach past {@code extent}: a group holding no element. */
  private static boolean beyond(int count, int size, int extent) {
    return extent > 0 && count > 0 && (long) (count - 1) * size >= extent;
  }
}
