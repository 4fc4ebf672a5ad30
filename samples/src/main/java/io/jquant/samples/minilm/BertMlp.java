package io.jquant.samples.minilm;

import io.jquant.annotations.Projection;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.KernelThreads;

/**
 * BERT's feed-forward block: {@code LayerNorm(x + output(gelu(intermediate(x))))} with the exact (erf) GELU
 * ({@code BertIntermediate} + {@code BertOutput} in Hugging Face). Quantized to NVFP4 on every layer.
 */
@Quantized(format = QuantFormat.NVFP4)
public final class BertMlp {
  private final Linear intermediate;
  private final Linear output;
  // Scratch of the last forward call, grown to the longest sequence: one forward call at a time per instance.
  private float[] inner;
  private float[] projected;

  public BertMlp(
      @Projection(value = "intermediate.dense", kind = ProjectionKind.UP) Linear intermediate,
      @Projection(value = "output.dense", kind = ProjectionKind.DOWN) Linear output) {
    if (output.inFeatures() != intermediate.outFeatures()
        || output.outFeatures() != intermediate.inFeatures()) {
      throw new IllegalArgumentException("MLP projections do not fit: " + intermediate.name() + " ["
          + intermediate.outFeatures() + ", " + intermediate.inFeatures() + "], " + output.name() + " ["
          + output.outFeatures() + ", " + output.inFeatures() + "]");
    }
    this.intermediate = intermediate;
    this.output = output;
  }

  /** The two projections: intermediate, output. */
  public Linear[] projections() {
    return new Linear[] { intermediate, output };
  }

  /**
   * {@code hidden = LayerNorm(hidden + output(gelu(intermediate(hidden))))} for {@code rows} tokens. Not
   * thread-safe: the block keeps its scratch arrays between calls; the threads are used inside.
   */
  public void forward(float[] hidden, int rows, LayerNorm norm, KernelThreads threads) {
    int width = intermediate.inFeatures();
    int innerSize = rows * intermediate.outFeatures();
    if (inner == null || inner.length < innerSize) {
      inner = new float[innerSize];
      projected = new float[rows * width];
    }
    intermediate.forward(hidden, inner, rows, threads);
    // Elementwise and cheap next to the projections (a few µs): not worth a hand-off to the threads.
    Erf.gelu(inner, 0, innerSize);
    output.forward(inner, projected, rows, threads);
    for (int i = 0; i < rows * width; i++) {
      hidden[i] = projected[i] + hidden[i];
    }
    norm.apply(hidden, rows);
  }
}
