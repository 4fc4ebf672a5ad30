package io.jquant.samples.minilm;

import io.jquant.annotations.Projection;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;

/**
 * BERT's self-attention block: query, key and value projections, scaled dot-product attention over all
 * tokens, the output projection, then residual and LayerNorm ({@code BertAttention} + {@code BertSelfOutput}
 * in Hugging Face). Quantized to NVFP4 on every layer. BERT's names do not say which projection is which,
 * so each {@link Projection} gives its kind.
 */
@Quantized(format = QuantFormat.NVFP4)
public final class BertAttention {
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;

  public BertAttention(
      @Projection(value = "attention.self.query", kind = ProjectionKind.Q) Linear query,
      @Projection(value = "attention.self.key", kind = ProjectionKind.K) Linear key,
      @Projection(value = "attention.self.value", kind = ProjectionKind.V) Linear value,
      @Projection(value = "attention.output.dense", kind = ProjectionKind.O) Linear output) {
    int hidden = query.inFeatures();
    for (Linear p : new Linear[] {query, key, value, output}) {
      if (p.inFeatures() != hidden || p.outFeatures() != hidden) {
        throw new IllegalArgumentException("attention projection " + p.name() + " is [" + p.outFeatures() + ", "
            + p.inFeatures() + "], expected [" + hidden + ", " + hidden + "] like " + query.name());
      }
    }
    this.query = query;
    this.key = key;
    this.value = value;
    this.output = output;
  }

  /** The four projections: query, key, value, output. */
  public Linear[] projections() {
    return new Linear[] {query, key, value, output};
  }

  /**
   * {@code hidden = LayerNorm(hidden + output(attention(hidden)))} for one sequence of {@code rows} tokens that
   * all attend to each other (one sentence without padding: the graph's mask term {@code (1 - 1) · -FLT_MAX}
   * is 0).
   *
   * @param hidden {@code [rows, hidden]}, replaced by the block's output
   * @param heads the number of heads; the head size is {@code hidden / heads}
   * @param scale the divisor of the scores, {@code sqrt(head size)} as the graph stores it
   */
  public void forward(float[] hidden, int rows, int heads, float scale, LayerNorm norm, KernelThreads threads) {
    int width = query.outFeatures();
    int headSize = width / heads;
    float[] q = new float[rows * width];
    float[] k = new float[rows * width];
    float[] v = new float[rows * width];
    query.forward(hidden, q, rows, threads);
    key.forward(hidden, k, rows, threads);
    value.forward(hidden, v, rows, threads);
    float[] context = new float[rows * width];
    float[] scores = new float[rows];
    for (int h = 0; h < heads; h++) {
      int offset = h * headSize;
      for (int i = 0; i < rows; i++) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < rows; j++) {
          double dot = 0;
          for (int d = 0; d < headSize; d++) {
            dot += (double) q[i * width + offset + d] * k[j * width + offset + d];
          }
          scores[j] = (float) dot / scale;
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j < rows; j++) {
          scores[j] = (float) Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int d = 0; d < headSize; d++) {
          double acc = 0;
          for (int j = 0; j < rows; j++) {
            acc += (double) scores[j] * v[j * width + offset + d];
          }
          context[i * width + offset + d] = (float) (acc / sum);
        }
      }
    }
    float[] projected = q;
    output.forward(context, projected, rows, threads);
    for (int i = 0; i < rows * width; i++) {
      hidden[i] = projected[i] + hidden[i];
    }
    norm.apply(hidden, rows);
  }
}
