package io.jquant.samples.llama;

/**
 * Llama's RMSNorm as transformers computes it in float32: {@code w · (x · rsqrt(mean(x²) + eps))}, the mean
 * of squares summed in float32.
 */
final class RmsNorm {
  private RmsNorm() {}

  /** Normalizes {@code rows} rows of {@code weight.length} values from {@code x} into {@code out}. */
  static void apply(float[] x, float[] out, int rows, float[] weight, float eps) {
    int n = weight.length;
    for (int r = 0; r < rows; r++) {
      int base = r * n;
      float sum = 0;
      for (int i = 0; i < n; i++) {
        float v = x[base + i];
        sum += v * v;
      }
      float variance = sum / n;
      float scale = (float) (1 / Math.sqrt(variance + eps));
      for (int i = 0; i < n; i++) {
        out[base + i] = weight[i] * (x[base + i] * scale);
      }
    }
  }
}
