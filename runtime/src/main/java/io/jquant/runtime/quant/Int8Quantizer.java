package io.jquant.runtime.quant;

import io.jquant.runtime.numerics.AbsMax;
import io.jquant.runtime.numerics.Int8;
import io.jquant.runtime.numerics.Int8Bulk;

/**
 * Quantizes a weight to symmetric INT8 per row, as MAX's int8 W8A8 and vLLM's runtime do (docs/FORMATS.md
 * §4.5): {@code scale = absmax/127}, {@code q = rint(w / scale)} (a float32 division, ties to even,
 * saturating to [-128, 127]). compressed-tensors' calibration divides by 127.5 instead; jquant follows MAX.
 * An all-zero row gets scale 1.0 and zero data; a nonzero row whose {@code absmax/127} underflows to 0 is
 * refused.
 */
public final class Int8Quantizer implements WeightQuantizer {
  /** A quantizer; it holds no state. */
  public Int8Quantizer() {}

  @Override
  public Int8Weights quantize(FloatMatrix weight) {
    QuantChecks.requireShaped(weight);
    int rows = weight.rows();
    int cols = weight.cols();
    float[] values = weight.values();
    byte[] data = new byte[rows * cols];
    float[] scales = new float[rows];
    for (int r = 0; r < rows; r++) {
      int offset = r * cols;
      int row = r;
      // The row's amax also checks it is finite; the encoding then finds the row in cache.
      float scale = QuantChecks.symmetricScale(weight, AbsMax.of(values, offset, cols), Int8.MAX,
          () -> "row " + row);
      scales[r] = scale;
      Int8Bulk.encodeDivided(values, offset, scale, data, offset, cols);
    }
    return new Int8Weights(weight.name(), rows, cols, data, scales);
  }
}
