package io.jquant.samples.llama;

import io.jquant.annotations.Projection;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Quantized;
import io.jquant.runtime.Linear;

/**
 * Llama's attention projections, quantized to NVFP4 on layers 1 to 14. The attention arithmetic
 * itself (RoPE, grouped-query softmax) arrives with the end-to-end Llama sample.
 */
@Quantized(format = QuantFormat.NVFP4, layers = "1-14")
public final class LlamaAttention {
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear o;

  public LlamaAttention(
      @Projection("self_attn.q_proj") Linear q,
      @Projection("self_attn.k_proj") Linear k,
      @Projection("self_attn.v_proj") Linear v,
      @Projection("self_attn.o_proj") Linear o) {
    this.q = q;
    this.k = k;
    this.v = v;
    this.o = o;
  }

  public Linear q() {
    return q;
  }

  public Linear k() {
    return k;
  }

  public Linear v() {
    return v;
  }

  public Linear o() {
    return o;
  }
}
