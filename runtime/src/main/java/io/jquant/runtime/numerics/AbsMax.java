package io.jquant.runtime.numerics;

import java.util.Objects;

/** The largest magnitude of a run of floats: the amax every scale rule starts from. */
public final class AbsMax {
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;

  /**
   * Whether the lane loop runs: decided once, and without loading a vector class when the module is missing.
   */
  private static final boolean VECTOR = VectorSupport.available() && Lanes.enabled();

  private AbsMax() {}

  /**
   * {@code max |src[offset + i]|} over i in [0, length), 0 for an empty run. NaN anywhere gives NaN and Inf
   * gives Inf, so a non-finite block is visible in its scale. Which NaN (its sign and payload bits) is not
   * specified: it may differ between runs, since it comes from a {@link Math#max} that the JIT compiles.
   *
   * @throws IndexOutOfBoundsException if the run is not inside {@code src}
   */
  public static float of(float[] src, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, src.length);
    // The bits of non-negative floats order as the floats do, and every NaN's magnitude bits lie above
    // infinity's, so an integer max of the magnitude bits finds the amax and lets any NaN win.
    int maxBits = VECTOR ? AbsMaxLanes.magnitudeBits(src, offset, length)
        : magnitudeBits(src, offset, 0, length, 0);
    return finish(maxBits, src, offset, length);
  }

  /**
   * The {@link #of} of each block of a run:
   * {@code maxima[maximaOffset + b] = of(src, offset + b·blockSize, n)} for the
   * {@code ceil(length / blockSize)} blocks, where n is {@code blockSize} except for a short last block. One
   * call per row of blocks spares a call and its checks per block.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive
   * @throws IndexOutOfBoundsException if the run or the maxima are not inside their arrays
   */
  public static void ofBlocks(float[] src, int offset, int length, int blockSize, float[] maxima,
      int maximaOffset) {
    int blocks = Ranges.blocks(length, blockSize);
    Objects.checkFromIndexSize(offset, length, src.length);
    Objects.checkFromIndexSize(maximaOffset, blocks, maxima.length);
    if (VECTOR) {
      AbsMaxLanes.ofBlocks(src, offset, length, blockSize, maxima, maximaOffset);
      return;
    }
    for (int b = 0; b < blocks; b++) {
      int start = b * blockSize; // below length, so it cannot overflow
      int n = Math.min(blockSize, length - start);
      maxima[maximaOffset + b] = finish(magnitudeBits(src, offset + start, 0, n, 0), src, offset + start, n);
    }
  }

  /** The amax of a run from the largest magnitude bits of its elements. */
  static float finish(int maxBits, float[] src, int offset, int length) {
    // A NaN is rare; the float loop gives it the NaN its Math.max picks.
    return maxBits > INFINITY_BITS ? floatMax(src, offset, length) : Float.intBitsToFloat(maxBits);
  }

  /** The larger of {@code maxBits} and the magnitude bits of elements [from, length) of the run. */
  static int magnitudeBits(float[] src, int offset, int from, int length, int maxBits) {
    for (int i = from; i < length; i++) {
      maxBits = Math.max(maxBits, Float.floatToRawIntBits(src[offset + i]) & ABS_MASK);
    }
    return maxBits;
  }

  private static float floatMax(float[] src, int offset, int length) {
    float max = 0.0f;
    for (int i = 0; i < length; i++) {
      max = Math.max(max, Math.abs(src[offset + i]));
    }
    return max;
  }
}
