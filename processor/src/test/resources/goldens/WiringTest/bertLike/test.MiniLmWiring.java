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
 * Builds the layer classes of {@link MiniLm} from a checkpoint,
 * each projection with the kernel of its layer's quantization.
 *
 * <p>Generated from the annotations; do not edit.
 */
@Generated("io.jquant.processor.QuantizedProcessor")
public final class MiniLmWiring {
  /**
   * Where the model's layers live in a checkpoint.
   */
  public static final ModelLayout LAYOUT = new ModelLayout(MiniLmQuantConfig.NUM_LAYERS,
      new ModuleNames(MiniLmQuantConfig.CHECKPOINT_PREFIX, List.of("intermediate.dense",
      "output.dense"), List.of("attention.self.query", "attention.self.key", "attention.self.value",
      "attention.output.dense")));

  private MiniLmWiring() {
  }

  /**
   * Opens {@code checkpoint} with the declared {@link MiniLmQuantConfig#config()},
   * refusing a checkpoint whose own quantization config disagrees.
   */
  public static ModelWeights open(Path checkpoint) throws IOException {
    return ModelWeights.open(checkpoint, LAYOUT, MiniLmQuantConfig.config());
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
   * Layer {@code layer}'s {@link BertAttention}, the attention.
   *
   * <p>Declared: INT8_W8A8 in every layer.
   * Weights opened with another config (or null) follow that config.
   */
  public static BertAttention bertAttention(ModelWeights weights, int layer) {
    return new BertAttention(
        weights.projection(Role.ATTENTION, ProjectionKind.Q, layer, "attention.self.query"),
        weights.projection(Role.ATTENTION, ProjectionKind.K, layer, "attention.self.key"),
        weights.projection(Role.ATTENTION, ProjectionKind.V, layer, "attention.self.value"),
        weights.projection(Role.ATTENTION, ProjectionKind.O, layer, "attention.output.dense"));
  }

  /**
   * Layer {@code layer}'s {@link BertMlp}, the MLP.
   *
   * <p>Declared: INT8_W8A8 in layers 0-3, unquantized in layers 4-5.
   * Weights opened with another config (or null) follow that config.
   */
  public static BertMlp bertMlp(ModelWeights weights, int layer) {
    return new BertMlp(
        weights.projection(Role.MLP, ProjectionKind.UP, layer, "intermediate.dense"),
        weights.projection(Role.MLP, ProjectionKind.DOWN, layer, "output.dense"));
  }

  /**
   * Every layer of every layer class, built from {@code weights}.
   */
  public static Layers layers(ModelWeights weights) {
    int n = LAYOUT.numLayers();
    List<BertAttention> bertAttention = new ArrayList<>(n);
    List<BertMlp> bertMlp = new ArrayList<>(n);
    for (int layer = 0; layer < n; layer++) {
      bertAttention.add(bertAttention(weights, layer));
      bertMlp.add(bertMlp(weights, layer));
    }
    return new Layers(Collections.unmodifiableList(bertAttention), Collections.unmodifiableList(bertMlp));
  }

  /**
   * Every layer of every layer class: each list has one entry per layer, indexed by layer.
   *
   * @param bertAttention every layer
   * @param bertMlp every layer
   */
  public record Layers(List<BertAttention> bertAttention, List<BertMlp> bertMlp) {
  }
}
