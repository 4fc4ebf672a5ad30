package test;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import io.jquant.annotations.rules.LayerRanges;
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
import java.util.Set;
import javax.annotation.processing.Generated;

/**
 * Builds the layer classes of {@link Outer.Llama} from a checkpoint,
 * each projection with the kernel of its layer's quantization.
 *
 * <p>Generated from the annotations; do not edit.
 */
@Generated("io.jquant.processor.QuantizedProcessor")
public final class Outer_LlamaWiring {
  /**
   * Where the model's layers live in a checkpoint.
   */
  public static final ModelLayout LAYOUT = new ModelLayout(Outer_LlamaQuantConfig.NUM_LAYERS,
      new ModuleNames(Outer_LlamaQuantConfig.CHECKPOINT_PREFIX, List.of("mlp.up_proj",
      "mlp.down_proj"), List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
      "self_attn.o_proj")));

  private Outer_LlamaWiring() {
  }

  /**
   * Opens {@code checkpoint} with the declared {@link Outer_LlamaQuantConfig#config()},
   * refusing a checkpoint whose own quantization config disagrees.
   */
  public static ModelWeights open(Path checkpoint) throws IOException {
    return ModelWeights.open(checkpoint, LAYOUT, Outer_LlamaQuantConfig.config());
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
   * Layer {@code layer}'s {@link Outer.Mlp}, the MLP.
   *
   * <p>Declared: MXFP8 in layers 0, unquantized in layers 1, 4.
   * Weights opened with another config (or null) follow that config.
   * {@link #layers} builds it for layers 0-1, 4.
   */
  public static Outer.Mlp outer_Mlp(ModelWeights weights, int layer) {
    return new Outer.Mlp(
        weights.projection(Role.MLP, ProjectionKind.UP, layer, "mlp.up_proj"),
        weights.projection(Role.MLP, ProjectionKind.DOWN, layer, "mlp.down_proj"));
  }

  /**
   * Layer {@code layer}'s {@link Outer.Dense}, the MLP.
   *
   * <p>Declared: MXFP8 in every layer.
   * Weights opened with another config (or null) follow that config.
   * {@link #layers} builds it for layers 2-3, 5.
   */
  public static Outer.Dense outer_Dense(ModelWeights weights, int layer) {
    return new Outer.Dense(
        weights.projection(Role.MLP, ProjectionKind.UP, layer, "mlp.up_proj"),
        weights.projection(Role.MLP, ProjectionKind.DOWN, layer, "mlp.down_proj"));
  }

  /**
   * Every layer of every layer class, built from {@code weights}; see {@link Layers} for the null entries.
   */
  public static Layers layers(ModelWeights weights) {
    int n = LAYOUT.numLayers();
    List<Outer.Mlp> outer_Mlp = new ArrayList<>(n);
    Set<Integer> outer_MlpLayers = LayerRanges.of("0-1, 4");
    List<Outer.Dense> outer_Dense = new ArrayList<>(n);
    Set<Integer> outer_DenseLayers = LayerRanges.of("2-3, 5");
    for (int layer = 0; layer < n; layer++) {
      outer_Mlp.add(outer_MlpLayers.contains(layer) ? outer_Mlp(weights, layer) : null);
      outer_Dense.add(outer_DenseLayers.contains(layer) ? outer_Dense(weights, layer) : null);
    }
    return new Layers(Collections.unmodifiableList(outer_Mlp), Collections.unmodifiableList(outer_Dense));
  }

  /**
   * Every layer of every layer class: each list has one entry per layer, indexed by layer.
   *
   * <p>Where a role has several classes, each builds the layers its {@code layers} claims and the first also
   * the layers none claims (unquantized); an entry its class does not build is null.
   *
   * @param outer_Mlp layers 0-1, 4, null elsewhere
   * @param outer_Dense layers 2-3, 5, null elsewhere
   */
  public record Layers(List<Outer.Mlp> outer_Mlp, List<Outer.Dense> outer_Dense) {
  }
}
