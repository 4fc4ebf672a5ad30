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

  public BertMlp(
      @Projection(value = "intermediate.dense", kind = ProjectionKind.UP) Linear intermediate,
      @Projection(value = "output.dense", kind = ProjectionKind.DOWN) Linear output) {
    if (output.inFeatures() != intermediate.outFeatures() || output.outFeatures() != intermediate.inFeatures()) {
      throw new IllegalArgumentException("MLP projections do not fit: " + intermediate.name() + " ["
          + intermediate.outFeatures() + ", " + intermediate.inFeatures() + "], " + output.name() + " ["
          + output.outFeatures() + ", " + output.inFeatures() + "]");
    }
    this.intermediate = intermediate;
    this.output = output;
  }

  /** The two projections: intermediate, output. */
  public Linear[] projections() {
    return new Linear[] {intermediate, output};
  }

  /** {@code hidden = LayerNorm(hidden + output(gelu(intermediate(hidden))))} for {@code rows} tokens. */
  public void forward(float[] hidden, int rows, LayerNorm norm, KernelThreads threads) {
    int width = intermediate.inFeatures();
    float[] inner = new float[rows * intermediate.outFeatures()];
    intermediate.forward(hidden, inner, rows, threads);
    for (int i = 0; i < inner.length; i++) {
      inner[i] = Erf.gelu(inner[i]);
    }
    float[] projected = new float[rows * width];
    output.forward(inner, projected, rows, threads);
    for (int i = 0; i < rows * width; i++) {
      hidden[i] = projected[i] + hidden[i];
    }
    norm.apply(hidden, rows);
  }
}
