package io.jquant.runtime.numerics;

import static io.jquant.runtime.numerics.Lanes.LENGTH;

import java.util.Objects;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** The largest magnitude of a run of floats: the amax every scale rule starts from. */
public final class AbsMax {
  private static final int ABS_MASK = 0x7FFFFFFF;
  private static final int INFINITY_BITS = 0x7F800000;

  private AbsMax() {}

  /**
   * {@code max |src[offset + i]|} over i in [0, length), 0 for an empty run. NaN anywhere gives NaN and Inf
   * gives Inf, so a non-finite block is visible in its scale.
   *
   * @throws IndexOutOfBoundsException if the run is not inside {@code src}
   */
  public static float of(float[] src, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, src.length);
    // The bits of non-negative floats order as the floats do, and every NaN's magnitude bits lie above
    // infinity's, so an integer max of the magnitude bits finds the amax and lets any NaN win.
    int maxBits = 0;
    int i = 0;
    if (Lanes.ENABLED) {
      IntVector max = IntVector.zero(Lanes.INTS);
      for (; i <= length - LENGTH; i += LENGTH) {
        max = max.max(Lanes.floatBits(src, offset + i).and(ABS_MASK));
      }
      maxBits = max.reduceLanes(VectorOperators.MAX);
    }
    for (; i < length; i++) {
      maxBits = Math.max(maxBits, Float.floatToRawIntBits(src[offset + i]) & ABS_MASK);
    }
    // A NaN is rare; the float loop gives it the NaN its Math.max picks.
    return maxBits > INFINITY_BITS ? floatMax(src, offset, length) : Float.intBitsToFloat(maxBits);
  }

  private static float floatMax(float[] src, int offset, int length) {
    float max = 0.0f;
    for (int i = 0; i < length; i++) {
      max = Math.max(max, Math.abs(src[offset + i]));
    }
    return max;
  }
}
