package io.jquant.runtime.kernel;

import io.jquant.runtime.quant.activation.ActivationFormat;
import io.jquant.runtime.quant.activation.QuantizedActivations;

/**
 * Activation rows quantized to INT8 per token, as {@link I8DotLanes} multiplies them: each code offset by 128
 * into an unsigned byte, {@code v = q + 128} (stored as {@code q ^ 0x80}), with each row's sum of v for the
 * offset's correction, its scale, and the quantized rows themselves, dequantized only for a weight row that
 * needs the reference's float arithmetic (an infinite scale) so a call never pays for it otherwise. Bytes for
 * every row count, shorts too for up to {@link KernelPlan#INT8_WIDE_ROWS}: 3 or more rows of K = 4096 as
 * shorts (24 KiB and up) no longer stay in the L1 next to the streamed weight, and 3 rows cost 3 times 2
 * (measured).
 *
 * @param cols K
 * @param offsetCodes {@code rows · cols} unsigned bytes {@code q + 128}, row-major
 * @param wideCodes the same values as shorts for {@link I8DotLanes#dotWide} when there are at most
 * {@link KernelPlan#INT8_WIDE_ROWS} rows, else null
 * @param offsetSums per row, {@code Σ_k (q + 128)}
 * @param scales per row, the dequantization multiplier (NaN for a row holding NaN or Inf)
 * @param quantized the rows as the activation quantizer gave them
 */
record Int8Rows(int rows, int cols, byte[] offsetCodes, short[] wideCodes, int[] offsetSums, float[] scales,
    QuantizedActivations quantized) {
  /** The rows of per-token INT8 activations (one scale per row). */
  static Int8Rows of(QuantizedActivations q) {
    if (q.format() != ActivationFormat.INT8 || q.groupRows() != 1 || q.scaleCols() != 1) {
      throw new IllegalArgumentException(
          "activations " + q.name() + ": expected INT8 with one scale per row, got "
              + q.format() + " in groups of " + q.groupRows() + " x " + q.groupCols());
    }
    int rows = q.rows();
    int cols = q.cols();
    byte[] codes = q.codes();
    byte[] offset = new byte[rows * cols];
    int[] sums = new int[rows];
    for (int r = 0; r < rows; r++) {
      int sum = 0;
      for (int i = r * cols; i < (r + 1) * cols; i++) {
        offset[i] = (byte) (codes[i] ^ 0x80);
        sum += offset[i] & 0xFF;
      }
      sums[r] = sum;
    }
    short[] wide = null;
    if (rows <= KernelPlan.INT8_WIDE_ROWS) {
      wide = new short[rows * cols];
      for (int i = 0; i < wide.length; i++) {
        wide[i] = (short) (offset[i] & 0xFF);
      }
    }
    return new Int8Rows(rows, cols, offset, wide, sums, q.scales(), q);
  }
}
