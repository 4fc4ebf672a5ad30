package test;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.model.ModelLayout;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.model.TensorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * Builds the layer classes of {@link Llama} from a checkpoint,
 * each projection with the kernel of its layer's quantization.
 *
 * <p>Generated from the annotations; do not edit.
 */
@Generated("io.jquant.processor.QuantizedProcessor")
public final class LlamaWiring {
  /**
   * Where the model's layers live in a checkpoint.
   */
  public static final ModelLayout LAYOUT = new ModelLayout(LlamaQuantConfig.NUM_LAYERS,
      new ModuleNames(LlamaQuantConfig.CHECKPOINT_PREFIX, List.of("mlp.gate_proj", "mlp.up_proj",
      "mlp.down_proj"), List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
      "self_attn.o_proj")));

  private LlamaWiring() {
  }

  /**
   * Opens {@code checkpoint} with the declared {@link LlamaQuantConfig#config()},
   * refusing a checkpoint whose own quantization config disagrees.
   */
  public static ModelWeights open(Path checkpoint) throws IOException {
    return ModelWeights.open(checkpoint, LAYOUT, LlamaQuantConfig.config());
  }

  /**
   * Opens {@code checkpoint} with {@code config}; null runs every layer unquantized.
   */
  public static ModelWeights open(Path checkpoint, QuantConfig config) throws IOException {
    return ModelWeights.open(checkpoint, LAYOUT, config);
  }

  /**
   * The weights of {@code source} with {@code config}; null runs every layer unquantized.
   */
  public static ModelWeights of(TensorSource source, QuantConfig config) {
    return ModelWeights.of(source, LAYOUT, config);
  }

  /**
   * Layer {@code layer}'s {@link LlamaMlp}, the MLP.
   *
   * <p>Declared: NVFP4 in every layer.
   * Weights opened with another config (or null) follow that config.
   */
  public static LlamaMlp llamaMlp(ModelWeights weights, int layer) {
    return new LlamaMlp(
        weights.projection(Role.MLP, ProjectionKind.GATE, layer, "mlp.gate_proj"),
        weights.projection(Role.MLP, ProjectionKind.UP, layer, "mlp.up_proj"),
        weights.projection(Role.MLP, ProjectionKind.DOWN, layer, "mlp.down_proj"));
  }

  /**
   * Layer {@code layer}'s {@link LlamaAttention}, the attention.
   *
   * <p>Declared: NVFP4 in layers 1-15, unquantized in layers 0.
   * Weights opened with another config (or null) follow that config.
   */
  public static LlamaAttention llamaAttention(ModelWeights weights, int layer) {
    return new LlamaAttention(
        weights.projection(Role.ATTENTION, ProjectionKind.Q, layer, "self_attn.q_proj"),
        weights.projection(Role.ATTENTION, ProjectionKind.K, layer, "self_attn.k_proj"),
        weights.projection(Role.ATTENTION, ProjectionKind.V, layer, "self_attn.v_proj"),
        weights.projection(Role.ATTENTION, ProjectionKind.O, layer, "self_attn.o_proj"));
  }

  /**
   * Every layer of every layer class, built from {@code weights}.
   */
  public static Layers layers(ModelWeights weights) {
    int n = LAYOUT.numLayers();
    List<LlamaMlp> llamaMlp = new ArrayList<>(n);
    List<LlamaAttention> llamaAttention = new ArrayList<>(n);
    for (int layer = 0; layer < n; layer++) {
      llamaMlp.add(llamaMlp(weights, layer));
      llamaAttention.add(llamaAttention(weights, layer));
    }
    return new Layers(Collections.unmodifiableList(llamaMlp), Collections.unmodifiableList(llamaAttention));
  }

  /**
   * Every layer of every layer class: each list has one entry per layer, indexed by layer.
   *
   * @param llamaMlp every layer
   * @param llamaAttention every layer
   */
  public record Layers(List<LlamaMlp> llamaMlp, List<LlamaAttention> llamaAttention) {
  }
}
