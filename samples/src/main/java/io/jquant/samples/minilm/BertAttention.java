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
 * in Hugging Face). Quantized to NVFP4 on every layer. BERT's names do not say which projection is which, so
 * each {@link Projection} gives its kind.
 */
@Quantized(format = QuantFormat.NVFP4)
public final class BertAttention {
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  // Scratch of the last forward call, grown to the longest sequence: one forward call at a time per instance.
  private float[] q;
  private float[] k;
  private float[] v;
  private float[] context;

  public BertAttention(
      @Projection(value = "attention.self.query", kind = ProjectionKind.Q) Linear query,
      @Projection(value = "attention.self.key", kind = ProjectionKind.K) Linear key,
      @Projection(value = "attention.self.value", kind = ProjectionKind.V) Linear value,
      @Projection(value = "attention.output.dense", kind = ProjectionKind.O) Linear output) {
    int hidden = query.inFeatures();
    for (Linear p : new Linear[] { query, key, value, output }) {
      if (p.inFeatures() != hidden || p.outFeatures() != hidden) {
        throw new IllegalArgumentException(
            "attention projection " + p.name() + " is [" + p.outFeatures() + ", "
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
    return new Linear[] { query, key, value, output };
  }

  /**
   * {@code hidden = LayerNorm(hidden + output(attention(hidden)))} for one sequence of {@code rows} tokens
   * that all attend to each other (one sentence without padding: the graph's mask term
   * {@code (1 - 1) · -FLT_MAX} is 0). Not thread-safe: the block keeps its scratch arrays between calls; the
   * threads are used inside.
   *
   * @param hidden {@code [rows, hidden]}, replaced by the block's output
   * @param heads the number of heads; the head size is {@code hidden / heads}
   * @param scale the divisor of the scores, {@code sqrt(head size)} as the graph stores it
   */
  public void forward(float[] hidden, int rows, int heads, float scale, LayerNorm norm,
      KernelThreads threads) {
    forward(hidden, new int[] { rows }, heads, scale, norm, threads);
  }

  /**
   * {@link #forward(float[], int, int, float, LayerNorm, KernelThreads)} for a batch of sequences whose rows
   * follow each other in {@code hidden} without padding ({@code lengths[s]} rows for sequence {@code s}): the
   * four projections run once over all rows, and each sequence attends only to its own tokens. Not
   * thread-safe, like the single-sequence call.
   *
   * @param hidden {@code [Σ lengths, hidden]}, replaced by the block's output
   */
  public void forward(float[] hidden, int[] lengths, int heads, float scale, LayerNorm norm,
      KernelThreads threads) {
    int rows = 0;
    for (int length : lengths) {
      rows += length;
    }
    int width = query.outFeatures();
    int size = rows * width;
    if (q == null || q.length < size) {
      q = new float[size];
      k = new float[size];
      v = new float[size];
      context = new float[size];
    }
    query.forward(hidden, q, rows, threads);
    key.forward(hidden, k, rows, threads);
    value.forward(hidden, v, rows, threads);
    ScaledDotProduct.contexts(q, k, v, context, lengths, width, heads, scale, threads);
    float[] projected = q;
    output.forward(context, projected, rows, threads);
    for (int i = 0; i < size; i++) {
      hidden[i] = projected[i] + hidden[i];
    }
    norm.apply(hidden, rows);
  }
}
