package io.jquant.runtime.quant.activation;

/**
 * The scale and inverse scale of a dynamically quantized group (FP8 per tensor, per token or per block; INT8
 * per token): {@code scale = amax'/qmax} and {@code inverse = qmax/amax'}, where
 * {@code amax' = min(amax, ub)} when an upper bound is set (FBGEMM's {@code scale_ub}).
 *
 * <p>The codes are FBGEMM's and vLLM's ({@code x · qmax/amax'}); the stored scale is vLLM's and MAX's
 * {@code amax'/qmax}. FBGEMM keeps {@code 1/(qmax/amax')} instead, which differs from it by one ulp for about
 * a quarter of amax values: far below float32 summation noise in a GEMM, but not FBGEMM's bits.
 *
 * <p>The inverse is 0 when amax' is 0 and when {@code qmax/amax'} overflows (a group of float32 denormals),
 * so an all-zero or vanishing group quantizes to zero codes instead of 0·Inf = NaN: MAX's
 * {@code guarded_inv_scale}. A non-finite amax gives a NaN scale and a NaN inverse whatever the bound, so the
 * group dequantizes to NaN.
 */
final class DynamicScale {
  private DynamicScale() {}

  /** {@code min(amax, upperBound)}, or amax without a bound; NaN or Inf for a non-finite amax. */
  static float bounded(float amax, Float upperBound) {
    if (!Float.isFinite(amax)) {
      return Float.NaN;
    }
    return upperBound == null ? amax : Math.min(amax, upperBound);
  }

  /** {@code boundedAmax / qmax}: NaN stays NaN. */
  static float scale(float boundedAmax, float qmax) {
    return boundedAmax / qmax;
  }

  /** {@code qmax / boundedAmax}, 0 for 0 and on overflow, NaN for NaN. */
  static float inverse(float boundedAmax, float qmax) {
    if (Float.isNaN(boundedAmax)) {
      return Float.NaN;
    }
    if (boundedAmax == 0.0f) {
      return 0.0f;
    }
    float inverse = qmax / boundedAmax;
    return Float.isInfinite(inverse) ? 0.0f : inverse;
  }

  /** Checks an upper bound: null, or positive and finite. */
  static Float checkUpperBound(Float upperBound) {
    if (upperBound != null && !(upperBound > 0.0f && Float.isFinite(upperBound))) {
      throw new IllegalArgumentException(
          "activation_scale_ub must be positive and finite, got " + upperBound);
    }
    return upperBound;
  }
}
