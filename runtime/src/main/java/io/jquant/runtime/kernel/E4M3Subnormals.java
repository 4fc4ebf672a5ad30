package io.jquant.runtime.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The subnormal E4M3 codes (exponent 0, mantissa not 0) taken out of a weight: their columns and exact values
 * {@code decode(code) · scale}, row by row in column order. {@link E4M3Matrix} zeroes these codes (sign kept)
 * in its own copy of the weight, because their raw float {@code E4M3 · 2^-120} is a float32 denormal and a
 * multiply by a denormal takes a microcode assist on x86 (a 4096² GEMV went from 1.2 ms to 30-48 ms with 6%
 * of them); the kernels add the few values kept here back instead.
 */
final class E4M3Subnormals {
  static final E4M3Subnormals NONE = new E4M3Subnormals(null, new int[0], new float[0]);

  /** Per row, where its entries start; null when there are none. */
  private final int[] starts;
  private final int[] cols;
  private final float[] values;

  private E4M3Subnormals(int[] starts, int[] cols, float[] values) {
    this.starts = starts;
    this.cols = cols;
    this.values = values;
  }

  /** Whether a code is subnormal. */
  static boolean isSubnormal(byte code) {
    return (code & 0x78) == 0 && (code & 0x07) != 0;
  }

  /** Whether {@code count} codes at {@code offset} hold a subnormal one: eight bytes at a time. */
  static boolean any(MemorySegment data, long offset, int count) {
    int k = 0;
    for (; k <= count - 8; k += 8) {
      long word = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + k);
      // Per byte, bit 7 of (field + 0x78) is set iff the exponent is not 0, of (field + 0x7F) iff the
      // mantissa is not 0; neither sum carries into the next byte.
      long exponent = ((word & 0x7878787878787878L) + 0x7878787878787878L) & 0x8080808080808080L;
      long mantissa = ((word & 0x0707070707070707L) + 0x7F7F7F7F7F7F7F7FL) & 0x8080808080808080L;
      if ((mantissa & ~exponent) != 0) {
        return true;
      }
    }
    for (; k < count; k++) {
      if (isSubnormal(data.get(ValueLayout.JAVA_BYTE, offset + k))) {
        return true;
      }
    }
    return false;
  }

  /** Whether there are any entries. */
  boolean isEmpty() {
    return starts == null;
  }

  /** Whether row n has entries. */
  boolean has(int n) {
    return starts != null && starts[n] != starts[n + 1];
  }

  /**
   * {@code Σ value · x[xOff + col]} over row n's entries: four sums over every fourth entry (the adds'
   * latency overlaps), then added in a fixed order, so the result does not depend on anything but the data.
   */
  float dot(int n, float[] x, int xOff) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = starts[n];
    int end = starts[n + 1];
    for (; i <= end - 4; i += 4) {
      s0 += values[i] * x[xOff + cols[i]];
      s1 += values[i + 1] * x[xOff + cols[i + 1]];
      s2 += values[i + 2] * x[xOff + cols[i + 2]];
      s3 += values[i + 3] * x[xOff + cols[i + 3]];
    }
    for (; i < end; i++) {
      s0 += values[i] * x[xOff + cols[i]];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Writes row n's values of columns {@code [k0, k0 + depth)} to {@code panel[p + col - k0]}. */
  void patch(int n, int k0, int depth, float[] panel, int p) {
    int end = starts[n + 1];
    int i = Arrays.binarySearch(cols, starts[n], end, k0);
    for (i = i < 0 ? -i - 1 : i; i < end && cols[i] < k0 + depth; i++) {
      panel[p + cols[i] - k0] = values[i];
    }
  }

  /** Row n's value at column k if it has one, else {@code otherwise}. */
  float valueOr(int n, int k, float otherwise) {
    if (!has(n)) {
      return otherwise;
    }
    int i = Arrays.binarySearch(cols, starts[n], starts[n + 1], k);
    return i >= 0 ? values[i] : otherwise;
  }

  /** Collects entries row by row; rows must come in ascending order. */
  static final class Builder {
    private final int[] starts;
    private int[] cols = new int[64];
    private float[] values = new float[64];
    private int size;
    private int nextRow;

    Builder(int rows) {
      starts = new int[rows + 1];
    }

    /** Adds row n's value at column k (rows ascending, columns ascending within a row). */
    void add(int n, int k, float value) {
      for (; nextRow <= n; nextRow++) {
        starts[nextRow] = size;
      }
      if (size == cols.length) {
        cols = Arrays.copyOf(cols, 2 * size);
        values = Arrays.copyOf(values, 2 * size);
      }
      cols[size] = k;
      values[size] = value;
      size++;
    }

    E4M3Subnormals build() {
      if (size == 0) {
        return NONE;
      }
      for (; nextRow < starts.length; nextRow++) {
        starts[nextRow] = size;
      }
      return new E4M3Subnormals(starts, Arrays.copyOf(cols, size), Arrays.copyOf(values, size));
    }
  }
}
