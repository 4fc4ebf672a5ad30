package io.jquant.samples.llama;

import io.jquant.annotations.Projection;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;
import io.jquant.runtime.kernel.GateUpLinear;
import io.jquant.runtime.kernel.KernelThreads;

/**
 * Llama's SwiGLU MLP, {@code down(silu(gate(x)) · up(x))}, quantized to NVFP4 on every layer. stories260K's
 * MLP hidden size is 172, not a multiple of NVFP4's 16 or MX's 32: the down projection's K is padded with
 * zeros by the loader when it quantizes on the fly.
 */
@Quantized(format = QuantFormat.NVFP4, layers = "0-4")
public final class LlamaMlp {
  private final Linear gate;
  private final Linear up;
  private final Linear down;
  /** gate and up as one {@link GateUpLinear}, or null to run them one after the other. */
  private final GateUpLinear gateUp;

  public LlamaMlp(
      @Projection("mlp.gate_proj") Linear gate,
      @Projection("mlp.up_proj") Linear up,
      @Projection("mlp.down_proj") Linear down) {
    this(gate, up, down, null);
  }

  private LlamaMlp(Linear gate, Linear up, Linear down, GateUpLinear gateUp) {
    if (gate.outFeatures() != up.outFeatures() || down.inFeatures() != up.outFeatures()
        || gate.inFeatures() != up.inFeatures() || down.outFeatures() != up.inFeatures()) {
      throw new IllegalArgumentException(
          "MLP projections do not fit: gate " + shape(gate) + ", up " + shape(up)
              + ", down " + shape(down));
    }
    this.gate = gate;
    this.up = up;
    this.down = down;
    this.gateUp = gateUp;
  }

  /**
   * This MLP with gate and up run as one {@link GateUpLinear}: one pass over the input, the input quantized
   * once when both projections share their activation quantizer (the config's {@code can_use_fused_mlp}).
   *
   * @throws IllegalArgumentException when gate and up are different kinds of layer
   */
  public LlamaMlp fused() {
    return gateUp != null ? this : new LlamaMlp(gate, up, down, GateUpLinear.create(gate, up));
  }

  /** Whether gate and up run fused. */
  public boolean isFused() {
    return gateUp != null;
  }

  public Linear gate() {
    return gate;
  }

  public Linear up() {
    return up;
  }

  public Linear down() {
    return down;
  }

  /** {@code rows} hidden states in, {@code rows} hidden states out. */
  public void forward(float[] x, float[] out, int rows, KernelThreads threads) {
    int hidden = up.outFeatures();
    float[] g = new float[rows * hidden];
    if (gateUp != null) {
      gateUp.forward(x, g, rows, threads);
    } else {
      float[] u = new float[rows * hidden];
      gate.forward(x, g, rows, threads);
      up.forward(x, u, rows, threads);
      for (int i = 0; i < g.length; i++) {
        g[i] = g[i] / (1 + (float) Math.exp(-g[i])) * u[i];
      }
    }
    down.forward(g, out, rows, threads);
  }

  /** {@link #forward(float[], float[], int, KernelThreads)} on the calling thread. */
  public void forward(float[] x, float[] out, int rows) {
    forward(x, out, rows, KernelThreads.single());
  }

  private static String shape(Linear linear) {
    return "[" + linear.outFeatures() + ", " + linear.inFeatures() + "]";
  }
}
