package io.jquant.runtime.numerics;

/**
 * How an MX block's shared E8M0 scale is chosen from the block's largest magnitude {@code amax}
 * (docs/FORMATS.md §3.2). The references disagree; jquant uses {@link #RCEIL} unless told otherwise, because
 * it never puts an element above the element's maximum and it is what cuBLAS, modelopt and MAX's MXFP8 use.
 *
 * <p>Every mode gives byte 0 (2^-127) for an all-zero block and 255 (NaN) for a non-finite amax, so a block
 * holding NaN or Inf decodes to NaN instead of hiding it.
 */
public enum MxScaleMode {
  /**
   * The smallest power of two at least {@code amax / max_elem}, the division done in float32 (torchao RCEIL,
   * cuBLAS, triton's ROUND_UP for normal quotients). A quotient at most 2^-127, zero included, gives byte 0.
   */
  RCEIL,
  /**
   * OCP's rule: {@code floor(log2(amax)) - emax_elem}, from amax's exponent bits; elements above max
   * saturate.
   */
  FLOOR,
  /** FLOOR after adding half an element ulp to amax (torchao EVEN, MAX's MXFP4 activations). */
  EVEN,
  /** {@code ceil(log2(amax)) - emax_elem} (torchao CEIL). */
  CEIL;

  /**
   * The biased E8M0 byte of the scale for a block whose largest magnitude is {@code amax}.
   *
   * @param amax the block's largest |element|: non-negative, or non-finite for a block holding NaN or Inf
   * @return 0..254, or 255 when amax is not finite
   */
  public int scaleByte(float amax, MxElement element) {
    if (!Float.isFinite(amax)) {
      return E8M0.NAN;
    }
    int bits = Float.floatToRawIntBits(Math.abs(amax));
    return switch (this) {
      case RCEIL -> roundUpToPowerOfTwo(Math.abs(amax) / element.max());
      case FLOOR -> biasedFromExponent(unbiasedExponent(bits) - element.emax());
      case EVEN -> {
        int halfUlp = 1 << (23 - element.mantissaBits() - 1);
        int carried = (bits + halfUlp) & 0x7F800000;
        yield biasedFromExponent(unbiasedExponent(carried) - element.emax());
      }
      case CEIL -> {
        int ceilLog2 = unbiasedExponent(bits) + ((bits & 0x7FFFFF) != 0 && (bits >>> 23) != 0 ? 1 : 0);
        yield biasedFromExponent(ceilLog2 - element.emax());
      }
    };
  }

  /** The E8M0 byte of the smallest power of two at or above a non-negative finite float, 2^-127 at least. */
  private static int roundUpToPowerOfTwo(float quotient) {
    int bits = Float.floatToRawIntBits(quotient);
    int exponent = bits >>> 23;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0) {
      return mantissa > 0x400000 ? 1 : 0; // subnormal: above 2^-127 the next power is 2^-126
    }
    int biased = mantissa == 0 ? exponent : exponent + 1;
    return Math.min(biased, 254); // amax/max_elem < 2^128/6 for every element, so this never clamps
  }

  /** floor(log2(x)) from the exponent bits, with zero and subnormals at -127 as the OCP rule has it. */
  private static int unbiasedExponent(int bits) {
    return ((bits >>> 23) & 0xFF) - 127;
  }

  private static int biasedFromExponent(int unbiased) {
    return Math.max(-127, Math.min(127, unbiased)) + 127;
  }
}
