package io.jquant.runtime.kernel;

import io.jquant.runtime.numerics.E8M0;
import io.jquant.runtime.numerics.Fp8E4M3;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * E4M3 bytes {@code [N, K]} in a segment, as stored (never expanded), with one scale per group: float32
 * scales per {@code groupRows x groupCols} block (FP8 tensor, row and block scaling) or one E8M0 byte per row
 * and 32 columns (MXFP8). Serves the GEMV of {@link Fp8Linear} and {@link Mxfp8Linear} and their GEMM panels.
 *
 * <p>Fast rows multiply each code's raw float by the constant {@code scale · 2^120} of its group (see
 * {@link E4M3Lanes}): one rounding, the reference's own dequantized weight. Two kinds of rows leave that
 * path, found once at construction by a scan of the bytes: a row holding a NaN code (0x7F, 0xFF) is NaN in
 * every output, as the reference's NaN weight makes it; a row with a scale of 2^8 or more, whose constant
 * would overflow, is computed by the scalar definition {@code Fp8E4M3.decode(code) · scale}.
 *
 * <p>Subnormal codes (exponent 0, mantissa not 0) in fast rows would make the raw float a float32 denormal,
 * and a multiply by a denormal costs a microcode assist (20-30x slower GEMV with 6% of them). The same scan
 * finds them; a weight that holds any is copied once, at construction, into memory of the matrix's own (as
 * many bytes as the weight: the only repack of the 8-bit kernels), with those codes set to ±0, and their
 * exact values {@code Fp8E4M3.decode(code) · scale} are kept aside ({@link E4M3Subnormals}): the GEMV adds
 * {@code Σ value · x} per row in column order, the panels get the values written in. Weights without them
 * (nearly all; real FP8 checkpoints hold about 1e-4) are read in place as before. A GEMV output that comes
 * out NaN on such a row (an infinite x times a zeroed code) is recomputed from the exact values.
 */
final class E4M3Matrix implements StreamedWeights {
  static final int MX_BLOCK = 32;
  private static final byte FAST = 0;
  private static final byte NAN = 1;
  private static final byte EXACT = 2;
  private static final float RAW_SCALE = 0x1p120f;
  /**
   * The sign, exponent and mantissa of an E4M3 code shifted left by 20: a float32 of {@code E4M3 · 2^-120}.
   */
  static final int RAW_FIELDS = 0x87F00000;
  /** The first E8M0 byte whose constant 2^(b-7) overflows: 2^128. */
  private static final int MX_OVERFLOW = 135;

  /** The codes: the caller's segment, or the copy without subnormal codes. */
  private final MemorySegment data;
  private final E4M3Subnormals subnormals;
  private final int rows;
  private final int cols;
  private final int groupRows;
  private final int groupCols;
  private final int scaleCols;
  /** FP8: float32 scales per group, row-major; null for MX. */
  private final float[] scales;
  /** FP8: {@code scales · 2^120}; null for MX. */
  private final float[] constants;
  /** MX: E8M0 bytes {@code [N, K/32]}; null for FP8. */
  private final MemorySegment mxScales;
  private final byte[] kinds;
  private final boolean vector;

  private E4M3Matrix(MemorySegment data, int rows, int cols, int groupRows, int groupCols, float[] scales,
      MemorySegment mxScales, boolean vector) {
    this.rows = rows;
    this.cols = cols;
    this.groupRows = groupRows;
    this.groupCols = groupCols;
    this.scaleCols = Math.ceilDiv(cols, groupCols);
    this.scales = scales;
    this.mxScales = mxScales != null && vector ? OffHeap.of(mxScales) : mxScales;
    this.vector = vector;
    if (scales != null) {
      constants = new float[scales.length];
      for (int i = 0; i < scales.length; i++) {
        constants[i] = scales[i] * RAW_SCALE;
      }
    } else {
      constants = null;
    }
    kinds = new byte[rows];
    boolean anySubnormal = false;
    for (int n = 0; n < rows; n++) {
      kinds[n] = hasNanCode(data, n) ? NAN : overflows(n) ? EXACT : FAST;
      anySubnormal |= kinds[n] == FAST && E4M3Subnormals.any(data, (long) n * cols, cols);
    }
    if (!anySubnormal) {
      this.data = vector ? OffHeap.of(data) : data;
      this.subnormals = E4M3Subnormals.NONE;
      return;
    }
    long size = (long) rows * cols;
    MemorySegment copy = Arena.ofAuto().allocate(size, 64).copyFrom(data.asSlice(0, size));
    E4M3Subnormals.Builder builder = new E4M3Subnormals.Builder(rows);
    for (int n = 0; n < rows; n++) {
      long row = (long) n * cols;
      if (kinds[n] != FAST || !E4M3Subnormals.any(data, row, cols)) {
        continue;
      }
      for (int k = 0; k < cols; k++) {
        byte code = data.get(ValueLayout.JAVA_BYTE, row + k);
        if (E4M3Subnormals.isSubnormal(code)) {
          builder.add(n, k, Fp8E4M3.decode(code) * scale(n, k / groupCols));
          copy.set(ValueLayout.JAVA_BYTE, row + k, (byte) (code & 0x80));
        }
      }
    }
    this.data = copy;
    this.subnormals = builder.build();
  }

  /** FP8 with float32 scales per {@code groupRows x groupCols} block, row-major over the blocks. */
  static E4M3Matrix fp8(MemorySegment data, int rows, int cols, int groupRows, int groupCols, float[] scales,
      boolean vector) {
    return new E4M3Matrix(data, rows, cols, groupRows, groupCols, scales, null, vector);
  }

  /** MXFP8: E8M0 scale bytes {@code [N, K/32]}. */
  static E4M3Matrix mx(MemorySegment data, int rows, int cols, MemorySegment scales, boolean vector) {
    return new E4M3Matrix(data, rows, cols, 1, MX_BLOCK, null, scales, vector);
  }

  /** The codes the kernels read: the weight's own, or the copy without subnormal codes. */
  MemorySegment codes() {
    return data;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  /** Scale constants per group column of a row. */
  int groupsPerRow() {
    return scaleCols;
  }

  /** {@code 2^(b-7)} for an E8M0 byte up to 134, NaN for 255: the MX scale times 2^120. */
  static float mxConstant(byte b) {
    int biased = b & 0xFF;
    return biased == E8M0.NAN ? Float.NaN : Float.intBitsToFloat((biased + 120) << 23);
  }

  @Override
  public int gemvMaxRows() {
    return mxScales != null ? KernelPlan.EIGHT_BIT_GEMV_MAX_ROWS : KernelPlan.current().fp8GemvMaxRows();
  }

  /**
   * {@code y[yOffset + r · yStride + n - from] = Σ_k W[n][k] · x[r · K + k]} for {@code n} in
   * {@code [from, to)} and every row (as {@link PackedLinear#computeColumns} places them): the weight rows in
   * pairs sharing each x load, each pair re-read from the caches for the next activation row.
   */
  @Override
  public void gemv(float[] x, int rowCount, int from, int to, float[] y, int yOffset, int yStride) {
    float[] ca = new float[scaleCols];
    float[] cb = new float[scaleCols];
    float[] scratch = new float[vector ? KernelLanes.LENGTH : 0];
    float[] pair = new float[2];
    int n = from;
    while (n < to) {
      if (vector && n + 1 < to && kinds[n] == FAST && kinds[n + 1] == FAST) {
        rowConstants(n, ca);
        rowConstants(n + 1, cb);
        for (int r = 0; r < rowCount; r++) {
          E4M3Lanes.dot2(data, (long) n * cols, (long) (n + 1) * cols, cols, groupCols, ca, cb, x, r * cols,
              scratch, pair);
          int at = yOffset + r * yStride + n - from;
          y[at] = corrected(n, pair[0], x, r * cols);
          y[at + 1] = corrected(n + 1, pair[1], x, r * cols);
        }
        n += 2;
        continue;
      }
      if (kinds[n] == FAST) {
        rowConstants(n, ca);
      }
      for (int r = 0; r < rowCount; r++) {
        y[yOffset + r * yStride + n - from] = switch (kinds[n]) {
          case FAST -> corrected(n, vector
              ? E4M3Lanes.dot(data, (long) n * cols, cols, groupCols, ca, x, r * cols, scratch)
              : scalarDot(n, ca, x, r * cols), x, r * cols);
          case NAN -> Float.NaN;
          default -> exactDot(n, x, r * cols);
        };
      }
      n++;
    }
  }

  @Override
  public void decode(int n0, int count, int k0, int depth, float[] panel) {
    float[] c = new float[scaleCols];
    for (int j = 0; j < count; j++) {
      int n = n0 + j;
      long row = (long) n * cols;
      if (kinds[n] != FAST) {
        for (int i = 0; i < depth; i++) {
          panel[j * depth + i] = exactValue(n, k0 + i);
        }
        continue;
      }
      rowConstants(n, c);
      if (vector) {
        E4M3Lanes.decode(data, row, k0, depth, groupCols, c, panel, j * depth);
      } else {
        for (int i = 0; i < depth; i++) {
          int k = k0 + i;
          panel[j * depth + i] = raw(code(row + k)) * c[k / groupCols];
        }
      }
      if (subnormals.has(n)) {
        subnormals.patch(n, k0, depth, panel, j * depth);
      }
    }
  }

  /**
   * A fast row's sum with its subnormal codes' products added; NaN there may be an infinite x times a zeroed
   * code where the reference has a finite weight, so it is recomputed from the exact values.
   */
  private float corrected(int n, float sum, float[] x, int xOff) {
    if (!subnormals.has(n)) {
      return sum;
    }
    float fixed = sum + subnormals.dot(n, x, xOff);
    return Float.isNaN(fixed) ? exactDot(n, x, xOff) : fixed;
  }

  private void rowConstants(int n, float[] c) {
    if (constants != null) {
      System.arraycopy(constants, (n / groupRows) * scaleCols, c, 0, scaleCols);
    } else if (vector) {
      E4M3Lanes.mxConstants(mxScales, (long) n * scaleCols, scaleCols, c);
    } else {
      for (int g = 0; g < scaleCols; g++) {
        c[g] = mxConstant(mxScales.get(ValueLayout.JAVA_BYTE, (long) n * scaleCols + g));
      }
    }
  }

  private float scalarDot(int n, float[] c, float[] x, int xOff) {
    long row = (long) n * cols;
    float sum = 0;
    for (int k = 0; k < cols; k++) {
      sum += raw(code(row + k)) * c[k / groupCols] * x[xOff + k];
    }
    return sum;
  }

  private float exactDot(int n, float[] x, int xOff) {
    float sum = 0;
    for (int k = 0; k < cols; k++) {
      sum += exactValue(n, k) * x[xOff + k];
    }
    return sum;
  }

  /** The reference's dequantized weight: {@code Fp8E4M3.decode(code) · scale}. */
  private float exactValue(int n, int k) {
    return subnormals.valueOr(n, k, Fp8E4M3.decode(code((long) n * cols + k)) * scale(n, k / groupCols));
  }

  private float scale(int n, int g) {
    return scales != null
        ? scales[(n / groupRows) * scaleCols + g]
        : E8M0.decode(mxScales.get(ValueLayout.JAVA_BYTE, (long) n * scaleCols + g));
  }

  private byte code(long offset) {
    return data.get(ValueLayout.JAVA_BYTE, offset);
  }

  /**
   * Whether row n holds 0x7F or 0xFF: eight bytes at a time, a byte's low seven bits plus 1 reaching bit 7.
   */
  private boolean hasNanCode(MemorySegment data, int n) {
    long row = (long) n * cols;
    int k = 0;
    for (; k <= cols - 8; k += 8) {
      long word = data.get(ValueLayout.JAVA_LONG_UNALIGNED, row + k);
      if ((((word & 0x7F7F7F7F7F7F7F7FL) + 0x0101010101010101L) & 0x8080808080808080L) != 0) {
        return true;
      }
    }
    for (; k < cols; k++) {
      if (Fp8E4M3.isNaN(data.get(ValueLayout.JAVA_BYTE, row + k))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a scale of row n is finite but its constant {@code scale · 2^120} is not. */
  private boolean overflows(int n) {
    for (int g = 0; g < scaleCols; g++) {
      if (scales != null) {
        float s = scales[(n / groupRows) * scaleCols + g];
        if (Float.isFinite(s) && !Float.isFinite(s * RAW_SCALE)) {
          return true;
        }
      } else {
        int b = mxScales.get(ValueLayout.JAVA_BYTE, (long) n * scaleCols + g) & 0xFF;
        if (b >= MX_OVERFLOW && b != E8M0.NAN) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code E4M3 · 2^-120} of one code, as the lanes compute it. Here and not in {@link E4M3Lanes}, whose
   * class names vector types: the scalar loops must run without the Vector API module.
   */
  static float raw(byte code) {
    return Float.intBitsToFloat((code << 20) & RAW_FIELDS);
  }
}
