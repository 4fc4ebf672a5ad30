package io.jquant.runtime.quant;

import java.util.Objects;

/**
 * The 128x4 interleaved layout of block scales that block-scaled tensor-core GEMMs read: cuBLAS's "block
 * scaling factors layout", MAX's 5-D TCGEN layout {@code (ceil(R/128), ceil(C/4), 32, 4, 4)}, torchao's
 * {@code to_blocked} (docs/FORMATS.md §2.5).
 *
 * <p>A row-major scale matrix {@code S[R, C]} of one-byte scales (E4M3 for NVFP4, E8M0 for MX), with R the
 * rows (M or N) and C the scale blocks along K, is padded with zero bytes to {@code R' = ceil(R/128)·128}
 * rows and {@code C' = ceil(C/4)·4} columns and stored so that scale {@code [r, c]} lands at {@link #offset}.
 * Zero padding is what the tensor cores expect for rows and columns past the data (MAX sets padding scales to
 * 0).
 */
public final class ScaleSwizzle {
  /** Rows of one 128x4 tile. */
  public static final int TILE_ROWS = 128;

  /** Scale columns of one 128x4 tile. */
  public static final int TILE_COLS = 4;

  /** Bytes of one 128x4 tile. */
  private static final int TILE_BYTES = TILE_ROWS * TILE_COLS;

  private ScaleSwizzle() {}

  /**
   * Where scale {@code [r, c]} of a matrix with {@code cols} scale columns sits in the interleaved layout:
   * {@code ((r/128)·(C'/4) + c/4)·512 + (r%32)·16 + ((r%128)/32)·4 + c%4}, i.e. the row-major index of
   * {@code [r/128, c/4, r%32, (r%128)/32, c%4]} in MAX's 5-D shape.
   *
   * @throws IllegalArgumentException if {@code r} or {@code c} is negative, or {@code c >= cols}
   */
  public static int offset(int r, int c, int cols) {
    if (r < 0 || c < 0 || c >= cols) {
      throw new IllegalArgumentException(
          "scale [" + r + ", " + c + "] is outside a scale matrix with " + cols + " columns");
    }
    int tileCols = Math.ceilDiv(cols, TILE_COLS);
    return ((r / TILE_ROWS) * tileCols + c / TILE_COLS) * TILE_BYTES
        + (r % 32) * 16 + ((r % TILE_ROWS) / 32) * 4 + c % TILE_COLS;
  }

  /** The length of the interleaved form of a {@code [rows, cols]} scale matrix: {@code R'·C'}. */
  public static int interleavedLength(int rows, int cols) {
    checkShape(rows, cols);
    return Math.toIntExact(
        (long) Math.ceilDiv(rows, TILE_ROWS) * TILE_ROWS * Math.ceilDiv(cols, TILE_COLS) * TILE_COLS);
  }

  /**
   * The interleaved form of the row-major {@code [rows, cols]} scale bytes, padding bytes 0.
   *
   * @throws IllegalArgumentException if the shape is negative or {@code scales.length != rows·cols}
   */
  public static byte[] interleave(byte[] scales, int rows, int cols) {
    Objects.requireNonNull(scales, "scales");
    int length = interleavedLength(rows, cols);
    checkLength("row-major", scales.length, (long) rows * cols, rows, cols);
    byte[] out = new byte[length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[offset(r, c, cols)] = scales[r * cols + c];
      }
    }
    return out;
  }

  /**
   * The row-major {@code [rows, cols]} scale bytes of an interleaved buffer; the padding is dropped unread.
   *
   * @throws IllegalArgumentException if the shape is negative or {@code swizzled.length} is not
   * {@link #interleavedLength}
   */
  public static byte[] deinterleave(byte[] swizzled, int rows, int cols) {
    Objects.requireNonNull(swizzled, "swizzled");
    int length = interleavedLength(rows, cols);
    checkLength("interleaved", swizzled.length, length, rows, cols);
    byte[] out = new byte[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = swizzled[offset(r, c, cols)];
      }
    }
    return out;
  }

  private static void checkShape(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative scale matrix shape [" + rows + ", " + cols + "]");
    }
  }

  private static void checkLength(String form, int actual, long expected, int rows, int cols) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          "a [" + rows + ", " + cols + "] scale matrix has " + expected + " bytes in " + form
              + " form, got " + actual);
    }
  }
}
