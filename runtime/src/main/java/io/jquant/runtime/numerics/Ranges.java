package io.jquant.runtime.numerics;

import java.util.Objects;

/** The range checks of the bulk codecs, kept apart from {@link Lanes} so they run without the Vector API. */
final class Ranges {
  private Ranges() {}

  /**
   * Checks a source and a destination run up front, so a bad range throws before anything is written (the
   * vector loops would otherwise fail part way).
   */
  static void check(int srcLength, int srcOffset, int dstLength, int dstOffset, int length) {
    Objects.checkFromIndexSize(srcOffset, length, srcLength);
    Objects.checkFromIndexSize(dstOffset, length, dstLength);
  }

  /**
   * The number of blocks of {@code blockSize} a run of {@code length} elements makes, the last one short.
   *
   * @throws IllegalArgumentException if {@code blockSize} is not positive or {@code length} is negative
   */
  static int blocks(int length, int blockSize) {
    if (blockSize < 1 || length < 0) {
      throw new IllegalArgumentException(
          "blocks need a positive size and a non-negative length, got size " + blockSize + ", length "
              + length);
    }
    return Math.ceilDiv(length, blockSize);
  }
}
