package io.jquant.config.hf;

import io.jquant.annotations.DType;
import io.jquant.annotations.Role;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a checkpoint's own quantization config agrees with the one a model declares: one comparison with
 * two users, the loader ({@link ModelWeights}, before any weight is read) and the annotation processor (a
 * compile error on the annotation value the disagreement points at).
 *
 * <p>What must agree: the format (when it differs nothing else is compared: every spec follows from it), the
 * input and weight scale specs, and which layers' MLP and attention are quantized. A declared
 * {@code can_use_fused_mlp} needs the checkpoint to allow it (not fusing is always allowed); a declared
 * {@code embedding_output_dtype} or {@code bias_dtype} must equal the checkpoint's when the checkpoint states
 * one (an undeclared one takes the checkpoint's, as in MAX). {@code scales_pre_interleaved} is not compared:
 * no Hugging Face config states it.
 */
public final class ConfigAgreement {
  private ConfigAgreement() {}

  /**
   * One field on which the declaration and the checkpoint differ.
   *
   * @param field MAX's field name: {@code format}, {@code input_scale}, {@code weight_scale},
   * {@code mlp_quantized_layers}, {@code attn_quantized_layers}, {@code can_use_fused_mlp},
   * {@code embedding_output_dtype}, {@code bias_dtype}
   * @param role the layer class's role for a layer-set field, null for a model-wide one
   * @param layer the layer for a layer-set field, -1 otherwise
   * @param declared what the declaration says, e.g. {@code "NVFP4"} or {@code "quantized (NVFP4)"}
   * @param checkpoint what the checkpoint says
   * @param source where the checkpoint says it, e.g. {@code "config.json: quantization_config"}
   */
  public record Disagreement(String field, Role role, int layer, String declared, String checkpoint,
      String source) {
    public Disagreement {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(declared, "declared");
      Objects.requireNonNull(checkpoint, "checkpoint");
      Objects.requireNonNull(source, "source");
    }

    /**
     * One line naming the place and both sides, e.g. {@code layer 3 MLP: declared quantized (NVFP4), but
     * config.json: quantization_config says not quantized}.
     */
    public String message() {
      String where = layer >= 0 ? "layer " + layer + " " + (role == Role.MLP ? "MLP" : "attention") : field;
      return where + ": declared " + declared + ", but " + source + " says " + checkpoint;
    }
  }

  /**
   * The fields on which {@code checkpoint} and {@code declared} differ, model-wide fields first, then layer
   * by layer (MLP before attention); empty when they agree.
   *
   * @param declared the declared config, or null for a model run unquantized
   * @param checkpoint the checkpoint's quantization, empty for a float checkpoint (which always agrees: the
   * loader quantizes it on the fly)
   */
  public static List<Disagreement> compare(QuantConfig declared, Optional<HfQuantization> checkpoint,
      int numLayers) {
    if (checkpoint.isEmpty()) {
      return List.of();
    }
    QuantConfig stored = checkpoint.get().config();
    String source = checkpoint.get().source();
    if (declared == null) {
      return List.of(new Disagreement("format", null, -1, "not quantized", stored.format().name(), source));
    }
    if (declared.format() != stored.format()) {
      return List
          .of(new Disagreement("format", null, -1, declared.format().name(), stored.format().name(), source));
    }
    List<Disagreement> found = new ArrayList<>();
    if (!declared.inputScale().equals(stored.inputScale())) {
      found.add(new Disagreement("input_scale", null, -1, describe(declared.inputScale()),
          describe(stored.inputScale()), source));
    }
    if (!declared.weightScale().equals(stored.weightScale())) {
      found.add(new Disagreement("weight_scale", null, -1, describe(declared.weightScale()),
          describe(stored.weightScale()), source));
    }
    if (declared.canUseFusedMlp() && !stored.canUseFusedMlp()) {
      found.add(new Disagreement("can_use_fused_mlp", null, -1, "true", "false", source));
    }
    compareDtype("embedding_output_dtype", declared.embeddingOutputDtype(), stored.embeddingOutputDtype(),
        source,
        found);
    compareDtype("bias_dtype", declared.biasDtype(), stored.biasDtype(), source, found);
    compareLayers(Role.MLP, declared.mlpQuantizedLayers(), stored.mlpQuantizedLayers(), declared, numLayers,
        source,
        found);
    compareLayers(Role.ATTENTION, declared.attnQuantizedLayers(), stored.attnQuantizedLayers(), declared,
        numLayers,
        source, found);
    return List.copyOf(found);
  }

  private static void compareDtype(String field, DType declared, DType stored, String source,
      List<Disagreement> found) {
    if (declared != null && stored != null && declared != stored) {
      found.add(new Disagreement(field, null, -1, declared.wireName(), stored.wireName(), source));
    }
  }

  private static void compareLayers(Role role, Set<Integer> declared, Set<Integer> stored, QuantConfig config,
      int numLayers, String source, List<Disagreement> found) {
    String field = role == Role.MLP ? "mlp_quantized_layers" : "attn_quantized_layers";
    String quantized = "quantized (" + config.format().name() + ")";
    for (int layer = 0; layer < numLayers; layer++) {
      boolean inDeclared = declared.contains(layer);
      if (inDeclared != stored.contains(layer)) {
        found.add(new Disagreement(field, role, layer, inDeclared ? quantized : "not quantized",
            inDeclared ? "not quantized" : quantized, source));
      }
    }
  }

  /** E.g. {@code BLOCK STATIC float32 (1, 16)}. */
  static String describe(InputScaleSpec spec) {
    return spec.granularity() + " " + spec.origin() + " " + spec.dtype().wireName()
        + (spec.blockSize() == null ? ""
            : " (" + spec.blockSize().rows() + ", " + spec.blockSize().cols() + ")")
        + (spec.activationScaleUb() == null ? "" : " upper bound " + spec.activationScaleUb());
  }

  /** E.g. {@code BLOCK float8_e4m3fn (1, 16)}. */
  static String describe(WeightScaleSpec spec) {
    return spec.granularity() + " " + spec.dtype().wireName()
        + (spec.blockSize() == null ? ""
            : " (" + spec.blockSize().rows() + ", " + spec.blockSize().cols() + ")");
  }
}
