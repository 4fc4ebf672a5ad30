package io.jquant.annotations;

/** What a quantized layer class is within a transformer layer. */
public enum Role {
  /** Inferred from the class's {@link Projection}s: gate/up/down make an MLP, q/k/v/o attention. */
  INFER,
  /** The MLP: gate, up and down projections (or up and down). MAX's {@code mlp_quantized_layers}. */
  MLP,
  /** The attention projections: q, k, v and o (or a fused qkv and o). MAX's {@code attn_quantized_layers}. */
  ATTENTION
}
