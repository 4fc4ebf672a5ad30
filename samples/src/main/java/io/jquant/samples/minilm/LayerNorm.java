package io.jquant.samples.minilm;

import io.jquant.runtime.numerics.VectorSupport;
import java.util.Objects;

/**
 * BERT's LayerNorm over the last dimension, as the exported graph spells it out in float32: mean, centred
 * values, biased variance, {@code (x - mean) / sqrt(var + eps) · weight + bias}. The graph's ReduceMean order
 * is ORT's own; with the Vector API ours sums in float lanes ({@link LayerNormLanes}: 24 values per lane for
 * 384 features, within a few ulps of the exact mean), without it in double.
 *
 * @param weight γ, one value per feature
 * @param bias β, one value per feature
 * @param eps added to the variance ({@code 1e-12} in BERT)
 */
public record LayerNorm(float[] weight, float[] bias, float eps) {
  private static final boolean VECTOR = VectorSupport.available() && LayerNormLanes.enabled();

  public LayerNorm {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(bias, "bias");
    if (weight.length != bias.length || weight.length == 0) {
      throw new IllegalArgumentException("LayerNorm weight has " + weight.length + " values, bias "
          + bias.length);
    }
  }

  /** The feature count. */
  public int features() {
    return weight.length;
  }

  /** Normalizes each of {@code rows} rows of {@code x} in place. */
  public void apply(float[] x, int rows) {
    int n = weight.length;
    if (VECTOR) {
      for (int r = 0; r < rows; r++) {
        LayerNormLanes.apply(x, r * n, weight, bias, eps);
      }
      return;
    }
    float[] centred = new float[n];
    for (int r = 0; r < rows; r++) {
      int base = r * n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += x[base + i];
      }
      float mean = (float) (sum / n);
      double squares = 0;
      for (int i = 0; i < n; i++) {
        float d = x[base + i] - mean;
        centred[i] = d;
        float square = d * d;
        squares += square;
      }
      float variance = (float) (squares / n);
      float deviation = (float) Math.sqrt(variance + eps);
      for (int i = 0; i < n; i++) {
        x[base + i] = centred[i] / deviation * weight[i] + bias[i];
      }
    }
  }
}
