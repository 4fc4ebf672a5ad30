package io.jquant.samples.minilm;

import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.numerics.VectorSupport;

/**
 * Multi-head scaled dot-product attention of unpadded sequences, in float32 as the graph runs it: per head
 * and query row, the scores {@code q·k / scale}, their softmax ({@code exp(s - max)} over the float sum), and
 * the context {@code Σ_j p_j · v_j}. The (sequence, head) pairs are split over the kernel threads; each is
 * computed by one thread in one fixed order, so results do not depend on the thread count or the batch. The
 * dot products and the context sums run on the Vector API when it is there ({@link ScaledDotProductLanes}).
 */
final class ScaledDotProduct {
  private static final boolean VECTOR = VectorSupport.available() && ScaledDotProductLanes.enabled();

  private ScaledDotProduct() {}

  /**
   * Writes {@code context [Σ lengths, width]} from {@code q}, {@code k}, {@code v} (each
   * {@code [Σ lengths, width]}, head {@code h} in columns
   * {@code [h · width / heads, (h + 1) · width / heads)}) for a batch of sequences whose rows follow each
   * other ({@code lengths[s]} rows for sequence {@code s}, no padding; one sequence is a batch of one): each
   * sequence attends only to its own rows.
   */
  static void contexts(float[] q, float[] k, float[] v, float[] context, int[] lengths, int width, int heads,
      float scale, KernelThreads threads) {
    int headSize = width / heads;
    int[] starts = new int[lengths.length];
    int longest = 0;
    for (int s = 1; s < lengths.length; s++) {
      starts[s] = starts[s - 1] + lengths[s - 1];
    }
    for (int length : lengths) {
      longest = Math.max(longest, length);
    }
    int maxRows = longest;
    threads.forEachChunk(lengths.length * heads, 1, (from, to) -> {
      float[] scores = new float[maxRows];
      for (int pair = from; pair < to; pair++) {
        int s = pair / heads;
        head(q, k, v, context, starts[s] * width, lengths[s], width, pair % heads * headSize, headSize, scale,
            scores);
      }
    });
  }

  /**
   * One head of one sequence: its {@code rows} rows start at index {@code base} of every array, the head's
   * columns at {@code headColumn} of a row.
   */
  private static void head(float[] q, float[] k, float[] v, float[] context, int base, int rows, int width,
      int headColumn, int headSize, float scale, float[] scores) {
    int offset = base + headColumn;
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
