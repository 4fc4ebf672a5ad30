package io.jquant.runtime.quant;

import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.numerics.Fp4E2M1;
import io.jquant.runtime.numerics.Fp4E2M1Bulk;
import io.jquant.runtime.numerics.Fp8E4M3;
import io.jquant.runtime.numerics.Fp8E4M3Bulk;

/**
 * Quantizes a weight to NVFP4 with modelopt's formulas (docs/FORMATS.md §2.2), the producer of the real NVFP4
 * checkpoints, each step in float32 and in this order:
 *
 * <ol> <li>{@code weight_scale_2 = amax / (6·448)}; <li>per 16-element block,
 * {@code s = amax_b / (6 · weight_scale_2)}; an exact 0 becomes 1.0 <em>before</em> the E4M3 cast (RNE,
 * saturating); <li>{@code q = E2M1(w / (fp8(s) · weight_scale_2))}: a division by the float32 product. </ol>
 *
 * <p>Two consequences of following modelopt, kept on purpose: an all-zero block gets scale 1.0 (0x38) and
 * codes 0; a tiny nonzero block whose {@code s} rounds to E4M3 0x00 divides by 0, so its elements become ±Inf
 * and NaN (for zeros), which encode as codes 7 / 15 (±6); with scale 0 they still dequantize to ±0.
 *
 * <p>Where modelopt has no sane answer, jquant decides: an all-zero tensor (amax 0, where modelopt computes
 * 0/0) gets {@code weight_scale_2 = 1.0}, like every all-zero group of the other formats, and all blocks 0x38
 * with codes 0. A nonzero amax so small that {@code amax/2688} underflows to 0 in float32 (below about
 * 3.8e-42) is refused.
 */
public final class Nvfp4Quantizer implements WeightQuantizer {
  /** 6 · 448: the largest E2M1 magnitude times the largest E4M3 one. */
  private static final float RANGE = Fp4E2M1.MAX * Fp8E4M3.MAX;

  /** A quantizer; it holds no state. */
  public Nvfp4Quantizer() {}

  /** Quantizes with {@code amax = max|W|}, as modelopt's max calibration of a weight gives. */
  @Override
  public Nvfp4Weights quantize(FloatMatrix weight) {
    float[] maxima = blockMaxima(QuantChecks.requireShaped(weight));
    float max = max(maxima);
    QuantChecks.requireFinite(weight, max);
    return encode(weight, maxima, max);
  }

  /**
   * Quantizes with a calibrated tensor amax, which must be finite and at least {@code max|W|}: a smaller one
   * would clip, pushing block scales past 448 where the references disagree (torch ≤ 2.11 casts them to NaN).
   *
   * @throws IllegalArgumentException naming the tensor when the weight is empty or not finite, or when
   * {@code amax} is not finite or below {@code max|W|}
   */
  public Nvfp4Weights quantize(FloatMatrix weight, float amax) {
    float[] maxima = blockMaxima(QuantChecks.requireShaped(weight));
    float max = max(maxima);
    QuantChecks.requireFinite(weight, max);
    if (!Float.isFinite(amax) || !(amax >= max)) {
      throw new IllegalArgumentException("tensor " + weight.name() + ": calibrated amax " + amax
          + " must be finite and at least max|W| = " + max);
    }
    return encode(weight, maxima, amax);
  }

  /** The amax of every 16-element block, row by row: the first pass, which also finds max|W|. */
  private static float[] blockMaxima(FloatMatrix weight) {
    int rows = weight.rows();
    int cols = weight.cols();
    int scaleRow = Nvfp4Weights.scaleCols(cols);
    float[] maxima = new float[rows * scaleRow];
    for (int r = 0; r < rows; r++) {
      AbsMax.ofBlocks(weight.values(), r * cols, cols, Nvfp4Weights.BLOCK, maxima, r * scaleRow);
    }
    return maxima;
  }

  /** The largest of non-negative maxima, NaN if one is NaN: AbsMax over the whole weight. */
  private static float max(float[] maxima) {
    return AbsMax.of(maxima, 0, maxima.length);
  }

  /** Turns the block maxima into E4M3 scales and encodes every block with its divisor. */
  private static Nvfp4Weights encode(FloatMatrix weight, float[] maxima, float amax) {
    float scale2 = weightScale2(weight.name(), amax);
    int rows = weight.rows();
    int cols = weight.cols();
    float[] values = weight.values();
    int packedRow = Nvfp4Weights.packedCols(cols);
    int scaleRow = Nvfp4Weights.scaleCols(cols);
    byte[] packed = new byte[rows * packedRow];
    byte[] scales = new byte[rows * scaleRow];
    float sixTimesScale2 = 6.0f * scale2;
    // The maxima become s, then the divisors, in place and in whole-array loops.
    float[] divisors = maxima;
    for (int k = 0; k < divisors.length; k++) {
      float s = maxima[k] / sixTimesScale2;
      divisors[k] = s == 0.0f ? 1.0f : s; // modelopt: exact zeros only, before the cast
    }
    Fp8E4M3Bulk.encode(divisors, 0, scales, 0, scales.length);
    Fp8E4M3Bulk.decodeScaled(scales, 0, scale2, divisors, 0, scales.length); // fp8(s) · weight_scale_2
    for (int r = 0; r < rows; r++) {
      Fp4E2M1Bulk.encodeBlocksDivided(values, r * cols, cols, Nvfp4Weights.BLOCK, divisors, r * scaleRow,
          packed,
          r * packedRow);
    }
    return new Nvfp4Weights(weight.name(), rows, cols, packed, scales, scale2, Nvfp4GlobalScale.MULTIPLIER);
  }

  /** {@code amax/2688}; 1.0 for an all-zero tensor; refused when a nonzero amax underflows to 0. */
  private static float weightScale2(String name, float amax) {
    if (amax == 0.0f) {
      return 1.0f;
    }
    float scale2 = amax / RANGE;
    if (scale2 == 0.0f) {
      throw new IllegalArgumentException("tensor " + name + ": amax " + amax
          + " is too small for NVFP4: weight_scale_2 = amax/2688 underflows to 0 in float32");
    }
    return scale2;
  }
}
