package io.jquant.runtime.numerics;

/** The largest magnitude of a run of floats: the amax every scale rule starts from. */
public final class AbsMax {
  private AbsMax() {}

  /**
   * {@code max |src[offset + i]|} over i in [0, length), 0 for an empty run. NaN anywhere gives NaN and Inf
   * gives Inf, so a non-finite block is visible in its scale.
   */
  public static float of(float[] src, int offset, int length) {
    float max = 0.0f;
    for (int i = 0; i < length; i++) {
      max = Math.max(max, Math.abs(src[offset + i]));
    }
    return max;
  }
}
