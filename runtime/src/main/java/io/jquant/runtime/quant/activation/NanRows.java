package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.AbsMax;
import java.util.Arrays;

/**
 * For one-byte codes under a scale the whole tensor shares: a row holding NaN or ±Inf gets NaN codes (E4M3
 * 0x7F) in every column, so that row, and only that row, dequantizes to NaN. A shared NaN scale would spoil
 * every row, and saturating Inf to ±448 would hide it.
 */
final class NanRows {
  private static final byte E4M3_NAN = 0x7F;

  private NanRows() {}

  /** Overwrites with 0x7F the codes of each row of {@code values [rows, cols]} holding a non-finite value. */
  static void mark(float[] values, byte[] codes, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      if (!Float.isFinite(AbsMax.of(values, r * cols, cols))) {
        Arrays.fill(codes, r * cols, (r + 1) * cols, E4M3_NAN);
      }
    }
  }
}
