package io.jquant.samples.minilm;

import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.numerics.VectorSupport;

/**
 * Multi-head scaled dot-product attention of one unpadded sequence, in float32 as the graph runs it: per head
 * and query row, the scores {@code q·k / scale}, their softmax ({@code exp(s - max)} over the float sum), and
 * the context {@code Σ_j p_j · v_j}. Heads are split over the kernel threads; each head is computed by one
 * thread in one fixed order, so results do not depend on the thread count. The dot products and the context
 * sums run on the Vector API when it is there ({@link ScaledDotProductLanes}).
 */
final class ScaledDotProduct {
  private static final boolean VECTOR = VectorSupport.available() && ScaledDotProductLanes.enabled();

  private ScaledDotProduct() {}

  /**
   * Writes {@code context [rows, width]} from {@code q}, {@code k}, {@code v} (each {@code [rows, width]},
   * head {@code h} in columns {@code [h · width / heads, (h + 1) · width / heads)}).
   */
  static void context(float[] q, float[] k, float[] v, float[] context, int rows, int width, int heads,
      float scale, KernelThreads threads) {
    int headSize = width / heads;
    threads.forEachChunk(heads, 1, (from, to) -> {
      float[] scores = new float[rows];
      for (int h = from; h < to; h++) {
        head(q, k, v, context, rows, width, h * headSize, headSize, scale, scores);
      }
    });
  }

  private static void head(float[] q, float[] k, float[] v, float[] context, int rows, int width, int offset,
      int headSize, float scale, float[] scores) {
    for (int i = 0; i < rows; i++) {
      int qi = i * width + offset;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < rows; j++) {
        float dot = VECTOR ? ScaledDotProductLanes.dot(q, qi, k, j * width + offset, headSize)
            : dot(q, qi, k, j * width + offset, headSize);
        scores[j] = dot / scale;
        max = Math.max(max, scores[j]);
      }
      float sum = 0;
      for (int j = 0; j < rows; j++) {
        scores[j] = (float) Math.exp(scores[j] - max);
        sum += scores[j];
      }
      for (int j = 0; j < rows; j++) {
        scores[j] /= sum;
      }
      if (VECTOR) {
        ScaledDotProductLanes.weightedSum(scores, rows, v, offset, width, headSize, context, qi);
      } else {
        for (int d = 0; d < headSize; d++) {
          float acc = 0;
          for (int j = 0; j < rows; j++) {
            acc = Math.fma(scores[j], v[j * width + offset + d], acc);
          }
          context[qi + d] = acc;
        }
      }
    }
  }

  private static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    float sum = 0;
    for (int d = 0; d < length; d++) {
      sum = Math.fma(a[aOffset + d], b[bOffset + d], sum);
    }
    return sum;
  }
}
