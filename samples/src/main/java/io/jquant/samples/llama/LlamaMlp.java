package io.jquant.samples.llama;

import io.jquant.annotations.Projection;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;

/** Llama's SwiGLU MLP, {@code down(silu(gate(x)) · up(x))}, quantized to NVFP4 on every layer. */
@Quantized(format = QuantFormat.NVFP4, layers = "0-15")
public final class LlamaMlp {
  private final Linear gate;
  private final Linear up;
  private final Linear down;

  public LlamaMlp(
      @Projection("mlp.gate_proj") Linear gate,
      @Projection("mlp.up_proj") Linear up,
      @Projection("mlp.down_proj") Linear down) {
    if (gate.outFeatures() != up.outFeatures() || down.inFeatures() != up.outFeatures()
        || gate.inFeatures() != up.inFeatures() || down.outFeatures() != up.inFeatures()) {
      throw new IllegalArgumentException("MLP projections do not fit: gate " + shape(gate) + ", up " + shape(up)
          + ", down " + shape(down));
    }
    this.gate = gate;
    this.up = up;
    this.down = down;
  }

  /** {@code rows} hidden states in, {@code rows} hidden states out. */
  public void forward(float[] x, float[] out, int rows) {
    int hidden = up.outFeatures();
    float[] g = new float[rows * hidden];
    float[] u = new float[rows * hidden];
    gate.forward(x, g, rows);
    up.forward(x, u, rows);
    for (int i = 0; i < g.length; i++) {
      g[i] = g[i] / (1 + (float) Math.exp(-g[i])) * u[i];
    }
    down.forward(g, out, rows);
  }

  private static String shape(Linear linear) {
    return "[" + linear.outFeatures() + ", " + linear.inFeatures() + "]";
  }
}
