package io.jquant.runtime.quant.activation;

import io.jquant.runtime.numerics.AbsMax;

/**
 * The largest finite magnitude of a run, for scales shared by a whole tensor: a NaN or Inf in one row must
 * not spoil the scale of every other row, so the non-finite values are left out (their own row is flagged
 * apart).
 */
final class FiniteAbsMax {
  private FiniteAbsMax() {}

  /**
   * {@code max |v|} over the finite values of {@code values[offset, offset + length)}, 0 if there are none.
   */
  static float of(float[] values, int offset, int length) {
    float amax = AbsMax.of(values, offset, length);
    if (Float.isFinite(amax)) {
      return amax;
    }
    amax = 0.0f;
    for (int i = offset; i < offset + length; i++) {
      if (Float.isFinite(values[i])) {
        amax = Math.max(amax, Math.abs(values[i]));
      }
    }
    return amax;
  }

  /** The largest finite magnitude of a whole matrix. */
  static float of(float[] values) {
    return of(values, 0, values.length);
  }
}
