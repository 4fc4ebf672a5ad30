package io.jquant.runtime.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * An NVFP4 or MXFP4 weight repacked once for the exact W4A4 GEMV ({@link Fp4TableLanes}): groups of 64 rows
 * interleaved byte by byte, still 4 bits per weight and one scale byte per block (no float expansion),
 * off-heap. A row count off 64 is padded with zero codes and zero scales, whose outputs are never written.
 *
 * <p>The block scales are decoded by a shift of their bits, which is exact for every code in {@link #fits}'s
 * range: E4M3 codes 0..0x7E (non-negative, not NaN; {@code c << 20} is the value times 2^-120, subnormals
 * included) and E8M0 codes 0..253 ({@code (c + 1) << 23} is twice the value, which {@link Fp4TableRows}
 * halves). Other scales keep the layer on {@link Fp4Kernel}.
 */
final class Fp4TableWeights {
  private static final int GROUP = Fp4TableLanes.GROUP;

  private final boolean mx;
  private final int n;
  private final int k;
  private final int block;
  private final MemorySegment codes;
  private final MemorySegment scales;
  private final int scaleBias;
  private final int scaleShift;
  private final float scaleFactor;

  /**
   * The repacked weight, or null when a scale is outside the exact decode ({@link #fits}).
   *
   * @param weight {@code [N, K/2]} packed codes as the checkpoint stores them
   * @param scaleCodes {@code [N, K/block]} E4M3 (NVFP4) or E8M0 (MXFP4) bytes
   * @param global NVFP4's {@code weight_scale_2}; 1 for MXFP4
   */
  static Fp4TableWeights ofExact(boolean mx, int n, int k, MemorySegment weight, MemorySegment scaleCodes,
      float global) {
    return fits(mx, scaleCodes, global) ? new Fp4TableWeights(mx, n, k, weight, scaleCodes, global) : null;
  }

  private Fp4TableWeights(boolean mx, int n, int k, MemorySegment weight, MemorySegment scaleCodes,
      float global) {
    this.mx = mx;
    this.n = n;
    this.k = k;
    this.block = mx ? 32 : 16;
    this.codes = interleave(weight, n, k / 2);
    this.scales = spreadOverLanes(interleave(scaleCodes, n, k / block));
    this.scaleBias = mx ? 1 : 0;
    this.scaleShift = mx ? 23 : 20;
    this.scaleFactor = mx ? 1f : 0x1p120f * global;
  }

  /**
   * Whether every scale decodes exactly by a shift, and NVFP4's global scale times 2^120 is a finite normal
   * float.
   */
  static boolean fits(boolean mx, MemorySegment scaleCodes, float global) {
    if (!mx && !(global > 0 && Float.isFinite(0x1p120f * global) && 0x1p120f * global >= Float.MIN_NORMAL)) {
      return false;
    }
    int limit = mx ? 253 : 0x7E;
    long size = scaleCodes.byteSize();
    for (long i = 0; i < size; i++) {
      if ((scaleCodes.get(ValueLayout.JAVA_BYTE, i) & 0xFF) > limit) {
        return false;
      }
    }
    return true;
  }

  /**
   * Rows {@code [N, width]} as groups of 64 rows, byte j of each row next to the same byte of the others,
   * off-heap (64-byte aligned), written a group at a time.
   */
  private static MemorySegment interleave(MemorySegment rows, int n, int width) {
    int groups = Math.ceilDiv(n, GROUP);
    MemorySegment out = Arena.ofAuto().allocate((long) groups * width * GROUP, 64);
    byte[] row = new byte[width];
    byte[] group = new byte[width * GROUP];
    for (int g = 0; g < groups; g++) {
      Arrays.fill(group, (byte) 0);
      for (int i = 0; i < GROUP && g * GROUP + i < n; i++) {
        MemorySegment.copy(rows, ValueLayout.JAVA_BYTE, (long) (g * GROUP + i) * width, row, 0, width);
        for (int j = 0; j < width; j++) {
          group[j * GROUP + i] = row[j];
        }
      }
      MemorySegment.copy(group, 0, out, ValueLayout.JAVA_BYTE, (long) g * width * GROUP, group.length);
    }
    return out;
  }

  /**
   * Each 64 bytes of a group's block scales (row order) reordered in place so that byte j of int lane i is
   * row {@code 16j + i}'s: one 64-byte load then gives each 16-row float vector its scales by a shift and a
   * mask.
   */
  private static MemorySegment spreadOverLanes(MemorySegment rowOrder) {
    byte[] in = new byte[GROUP];
    byte[] out = new byte[GROUP];
    for (long at = 0; at < rowOrder.byteSize(); at += GROUP) {
      MemorySegment.copy(rowOrder, ValueLayout.JAVA_BYTE, at, in, 0, GROUP);
      for (int row = 0; row < GROUP; row++) {
        out[4 * (row % 16) + row / 16] = in[row];
      }
      MemorySegment.copy(out, 0, rowOrder, ValueLayout.JAVA_BYTE, at, GROUP);
    }
    return rowOrder;
  }

  /** The repacked bytes: codes and scales, padding included. */
  long bytes() {
    return codes.byteSize() + scales.byteSize();
  }

  /** Whether the activations are the ones this weight's table kernel multiplies. */
  boolean takes(Fp4TableRows x) {
    return x.mx() == mx && x.cols() == k;
  }

  /**
   * {@code y[yOffset + r · yStride + j - from]} for every row r of x and j in {@code [from, to)}: per block,
   * the exact integer sum of {@code 4 · w · x} times {@code (weight scale · global) · x.mults}.
   */
  void gemv(Fp4TableRows x, int from, int to, float[] y, int yOffset, int yStride) {
    if (!takes(x)) {
      throw new IllegalArgumentException("activations for " + (x.mx() ? "MXFP4" : "NVFP4") + " K = "
          + x.cols() + " given to the " + (mx ? "MXFP4" : "NVFP4") + " table kernel with K = " + k);
    }
    float[] out = new float[2 * GROUP];
    float[] decoded = new float[GROUP * (k / block)];
    int blocks = k / block;
    for (int g = from / GROUP; g * GROUP < to; g++) {
      Fp4TableLanes.decodeScales(scales, (long) g * blocks * GROUP, blocks, scaleBias, scaleShift,
          scaleFactor,
          decoded);
      int first = Math.max(from, g * GROUP);
      int last = Math.min(Math.min(to, n), (g + 1) * GROUP);
      int r = 0;
      for (; r + 1 < x.rows(); r += 2) {
        Fp4TableLanes.groupPair(codes, (long) g * (k / 2) * GROUP, k, block, x.tableOffsets(), r * k,
            x.mults(), r * blocks, decoded, out);
        System.arraycopy(out, first - g * GROUP, y, yOffset + r * yStride - from + first, last - first);
        System.arraycopy(out, GROUP + first - g * GROUP, y, yOffset + (r + 1) * yStride - from + first,
            last - first);
      }
      if (r < x.rows()) {
        Fp4TableLanes.group(codes, (long) g * (k / 2) * GROUP, k, block, x.tableOffsets(), r * k, x.mults(),
            r * blocks, decoded, out);
        System.arraycopy(out, first - g * GROUP, y, yOffset + r * yStride - from + first, last - first);
      }
    }
  }
}
