package io.jquant.runtime.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Signed bytes {@code [N, K]} in a segment, as stored, with one float32 scale per row: the GEMV of
 * {@link Int8Linear} and its GEMM panels. The GEMV sums {@code q · x} unscaled and multiplies the row's scale
 * once; a row whose scale is infinite instead sums the reference's {@code (q · scale) · x}, so that a zero
 * code gives NaN there as it does in the reference ({@code 0 · Inf}).
 *
 * <p>For W8A8 layers ({@link #integer} true) the bytes are repacked once, still one per weight, as
 * {@code q ^ 0x80}: the unsigned {@code q + 128} that {@link I8DotLanes} multiplies with the activations'
 * {@code x + 128}. {@link #dot} then sums {@code Σ q·x} exactly in int32 and scales it once,
 * {@code (Σ q·x · xScale) · wScale}; the GEMM's panels flip the bytes back while they decode.
 */
final class I8Matrix implements StreamedWeights {
  private final MemorySegment data;
  private final int rows;
  private final int cols;
  private final float[] scales;
  private final boolean vector;
  private final boolean integer;
  /** XORed into every stored byte to get q back: 0, or 0x80 for the integer layout. */
  private final byte flip;
  /** Per weight row, {@code Σ_k (q + 128)}, for the integer layout. */
  private final int[] offsetSums;

  /** The weight as stored, for the float kernels only. */
  I8Matrix(MemorySegment data, int rows, int cols, float[] scales, boolean vector) {
    this(data, rows, cols, scales, vector, false);
  }

  /**
   * @param integer whether to repack for {@link #dot} (needs {@code vector}, {@link I8DotLanes#enabled()} and
   * {@code cols ≤} {@link KernelPlan#INT8_DOT_MAX_COLS})
   */
  I8Matrix(MemorySegment data, int rows, int cols, float[] scales, boolean vector, boolean integer) {
    if (integer && !(vector && cols <= KernelPlan.INT8_DOT_MAX_COLS)) {
      throw new IllegalArgumentException("the integer layout needs the vector lanes and K <= "
          + KernelPlan.INT8_DOT_MAX_COLS + ", got K = " + cols);
    }
    int[] sums = integer ? new int[rows] : null;
    this.data = integer ? offsetCopy(data, rows, cols, sums) : vector ? OffHeap.of(data) : data;
    this.rows = rows;
    this.cols = cols;
    this.scales = scales;
    this.vector = vector;
    this.integer = integer;
    this.flip = integer ? (byte) 0x80 : 0;
    this.offsetSums = sums;
  }

  /**
   * An off-heap copy of the codes as {@code q ^ 0x80}, 64-byte aligned, each row's sum of those unsigned
   * bytes into {@code sums}: one pass over the weight.
   */
  private static MemorySegment offsetCopy(MemorySegment codes, int rows, int cols, int[] sums) {
    MemorySegment copy = Arena.ofAuto().allocate(codes.byteSize(), 64);
    byte[] row = new byte[cols];
    for (int n = 0; n < rows; n++) {
      long at = (long) n * cols;
      MemorySegment.copy(codes, ValueLayout.JAVA_BYTE, at, row, 0, cols);
      int sum = 0;
      for (int k = 0; k < cols; k++) {
        row[k] ^= (byte) 0x80;
        sum += row[k] & 0xFF;
      }
      sums[n] = sum;
      MemorySegment.copy(row, 0, copy, ValueLayout.JAVA_BYTE, at, cols);
    }
    return copy;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  @Override
  public int gemvMaxRows() {
    return integer ? 0 : KernelPlan.EIGHT_BIT_GEMV_MAX_ROWS;
  }

  /** Whether the bytes are in the integer layout, for {@link #dot}. */
  boolean integer() {
    return integer;
  }

  /**
   * The W8A8 GEMV, integer layout only: {@code y[yOffset + r · yStride + n - from] =
   * ((float) Σ_k q[n][k] · x[r][k] · xScale[r]) · wScale[n]} for {@code n} in {@code [from, to)}, the sum
   * exact in int32; a row with an infinite scale sums the reference's {@code (q · scale) · x} instead.
   */
  void dot(Int8Rows x, int from, int to, float[] y, int yOffset, int yStride) {
    int k = cols;
    int offsetProducts = 128 * 128 * k;
    float[] values = null; // dequantized only for a row with an infinite scale, once per call
    for (int n = from; n < to; n++) {
      long row = (long) n * k;
      for (int r = 0; r < x.rows(); r++) {
        int at = yOffset + r * yStride + n - from;
        if (!fast(n)) {
          if (values == null) {
            values = x.quantized().dequantize().values();
          }
          y[at] = exactDot(n, values, r * k);
          continue;
        }
        int raw = x.wideCodes() != null ? I8DotLanes.dotWide(data, row, k, x.wideCodes(), r * k)
            : I8DotLanes.dot(data, row, k, x.offsetCodes(), r * k);
        int sum = raw - 128 * offsetSums[n] - 128 * x.offsetSums()[r] + offsetProducts;
        y[at] = (float) sum * x.scales()[r] * scales[n];
      }
    }
  }

  /**
   * {@code y[yOffset + r · yStride + n - from] = Σ_k W[n][k] · x[r · K + k]} for {@code n} in
   * {@code [from, to)}, weight rows in pairs.
   */
  @Override
  public void gemv(float[] x, int rowCount, int from, int to, float[] y, int yOffset, int yStride) {
    float[] scratch = new float[vector ? KernelLanes.LENGTH : 0];
    float[] pair = new float[2];
    int n = from;
    while (n < to) {
      if (vector && !integer && n + 1 < to && fast(n) && fast(n + 1)) {
        for (int r = 0; r < rowCount; r++) {
          I8Lanes.dot2(data, (long) n * cols, (long) (n + 1) * cols, cols, x, r * cols, scratch, pair);
          int at = yOffset + r * yStride + n - from;
          y[at] = pair[0] * scales[n];
          y[at + 1] = pair[1] * scales[n + 1];
        }
        n += 2;
        continue;
      }
      for (int r = 0; r < rowCount; r++) {
        y[yOffset + r * yStride + n - from] = !fast(n) ? exactDot(n, x, r * cols)
            : vector && !integer ? I8Lanes.dot(data, (long) n * cols, cols, x, r * cols, scratch) * scales[n]
                : scalarDot(n, x, r * cols) * scales[n];
      }
      n++;
    }
  }

  @Override
  public void decode(int n0, int count, int k0, int depth, float[] panel) {
    for (int j = 0; j < count; j++) {
      int n = n0 + j;
      long row = (long) n * cols;
      if (vector) {
        I8Lanes.decode(data, row, k0, depth, scales[n], panel, j * depth, flip);
      } else {
        for (int i = 0; i < depth; i++) {
          panel[j * depth + i] = code(row + k0 + i) * scales[n];
        }
      }
    }
  }

  private boolean fast(int n) {
    return !Float.isInfinite(scales[n]);
  }

  private float scalarDot(int n, float[] x, int xOff) {
    long row = (long) n * cols;
    float sum = 0;
    for (int k = 0; k < cols; k++) {
      sum += code(row + k) * x[xOff + k];
    }
    return sum;
  }

  private float exactDot(int n, float[] x, int xOff) {
    long row = (long) n * cols;
    float sum = 0;
    for (int k = 0; k < cols; k++) {
      sum += code(row + k) * scales[n] * x[xOff + k];
    }
    return sum;
  }

  private byte code(long offset) {
    return (byte) (data.get(ValueLayout.JAVA_BYTE, offset) ^ flip);
  }
}
