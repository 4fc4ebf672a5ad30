package io.jquant.runtime.model;

import io.jquant.annotations.Role;
import io.jquant.runtime.config.QuantConfig;
import io.jquant.runtime.hf.HfQuantization;
import java.util.List;
import java.util.Optional;

/**
 * Whether a checkpoint's own quantization config agrees with the one a model declares: one comparison with
 * two users, the loader ({@link ModelWeights}, before any weight is read) and the annotation processor (a
 * compile error on the annotation value the disagreement points at).
 */
public final class ConfigAgreement {
  private ConfigAgreement() {}

  /**
   * One field on which the declaration and the checkpoint differ.
   *
   * @param field MAX's field name: {@code format}, {@code input_scale}, {@code weight_scale},
   *     {@code mlp_quantized_layers}, {@code attn_quantized_layers}, {@code can_use_fused_mlp},
   *     {@code embedding_output_dtype}, {@code bias_dtype}, {@code scales_pre_interleaved}
   * @param role the layer class's role for a per-layer field, null for a model-wide one
   * @param layer the layer for a layer-set field, -1 otherwise
   * @param declared what the declaration says, e.g. {@code "NVFP4"} or {@code "quantized (NVFP4)"}
   * @param checkpoint what the checkpoint says
   * @param source where the checkpoint says it, e.g. {@code "config.json: quantization_config"}
   */
  public record Disagreement(String field, Role role, int layer, String declared, String checkpoint, String source) {
    /**
     * One line naming the place and both sides, e.g. {@code layer 3 MLP: declared quantized (NVFP4), but
     * config.json: quantization_config leaves it unquantized}.
     */
    public String message() {
      throw new UnsupportedOperationException("issue 6: in progress");
    }
  }

  /**
   * The fields on which {@code checkpoint} and {@code declared} differ, model-wide fields first, then layer by
   * layer; empty when they agree or the checkpoint has no quantization config and none is declared.
   *
   * @param declared the declared config, or null for a model run unquantized
   * @param checkpoint the checkpoint's quantization, empty for a float checkpoint (which always agrees: the
   *     loader quantizes it on the fly)
   */
  public static List<Disagreement> compare(QuantConfig declared, Optional<HfQuantization> checkpoint, int numLayers) {
    throw new UnsupportedOperationException("issue 6: in progress");
  }
}
