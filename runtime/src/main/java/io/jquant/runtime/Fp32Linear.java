package io.jquant.runtime;

import java.util.Objects;

/**
 * The float32 reference {@link Linear}: plain loops with float32 accumulation in index order, the
 * definition the quantized kernels are compared with.
 */
public final class Fp32Linear implements Linear {
  private final float[] weight;
  private final float[] bias;
  private final int in;
  private final int out;

  /**
   * @param weight row-major {@code [out, in]}, as Hugging Face checkpoints store it
   * @param bias {@code out} values, or null
   */
  public Fp32Linear(float[] weight, float[] bias, int out, int in) {
    if (out <= 0 || in <= 0) {
      throw new IllegalArgumentException("a linear layer has positive dimensions, not [" + out + ", " + in + "]");
    }
    Objects.requireNonNull(weight, "weight");
    if (weight.length != (long) out * in) {
      throw new IllegalArgumentException(
          "weight has " + weight.length + " values, but [" + out + ", " + in + "] needs " + (long) out * in);
    }
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException("bias has " + bias.length + " values, but the layer has " + out + " outputs");
    }
    this.weight = weight.clone();
    this.bias = bias == null ? null : bias.clone();
    this.in = in;
    this.out = out;
  }

  @Override
  public int inFeatures() {
    return in;
  }

  @Override
  public int outFeatures() {
    return out;
  }

  @Override
  public void forward(float[] x, float[] y, int rows) {
    if (rows < 0 || x.length < (long) rows * in || y.length < (long) rows * out) {
      throw new IllegalArgumentException("forward of " + rows + " rows needs x of " + (long) rows * in
          + " and y of " + (long) rows * out + " values; got " + x.length + " and " + y.length);
    }
    for (int r = 0; r < rows; r++) {
      for (int n = 0; n < out; n++) {
        float sum = 0;
        for (int k = 0; k < in; k++) {
          sum += x[r * in + k] * weight[n * in + k];
        }
        y[r * out + n] = bias == null ? sum : sum + bias[n];
      }
    }
  }
}
