package io.jquant.samples.llama;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import io.jquant.runtime.model.ModelWeights;

/**
 * The factories the processor's {@code LlamaWiring} will generate, written out by hand with the contract's exact
 * shape until it does.
 */
// TODO(lead): generated wiring. Replace the uses with LlamaWiring.llamaAttention / llamaMlp and delete this file.
final class LlamaLayers {
  private LlamaLayers() {}

  static LlamaAttention llamaAttention(ModelWeights weights, int layer) {
    return new LlamaAttention(
        weights.projection(Role.ATTENTION, ProjectionKind.Q, layer, "self_attn.q_proj"),
        weights.projection(Role.ATTENTION, ProjectionKind.K, layer, "self_attn.k_proj"),
        weights.projection(Role.ATTENTION, ProjectionKind.V, layer, "self_attn.v_proj"),
        weights.projection(Role.ATTENTION, ProjectionKind.O, layer, "self_attn.o_proj"));
  }

  static LlamaMlp llamaMlp(ModelWeights weights, int layer) {
    return new LlamaMlp(
        weights.projection(Role.MLP, ProjectionKind.GATE, layer, "mlp.gate_proj"),
        weights.projection(Role.MLP, ProjectionKind.UP, layer, "mlp.up_proj"),
        weights.projection(Role.MLP, ProjectionKind.DOWN, layer, "mlp.down_proj"));
  }
}
