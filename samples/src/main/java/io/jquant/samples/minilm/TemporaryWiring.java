package io.jquant.samples.minilm;

import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.runtime.Fp32Linear;
import io.jquant.runtime.Linear;
import io.jquant.runtime.config.QuantConfig;
import io.jquant.runtime.kernel.InputActivations;
import io.jquant.runtime.kernel.Kernels;
import io.jquant.runtime.model.ModelLayout;
import io.jquant.runtime.model.TensorSource;
import io.jquant.runtime.quant.FloatMatrix;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.quant.activation.ActivationQuantizer;
import io.jquant.runtime.tensor.StorageDType;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stands in for the {@code MiniLmWiring} the processor will generate, with the same signatures
 * ({@code of(source, config)}, one factory per layer class, {@code layers(weights)}), so that the switch is one
 * line in {@link MiniLmEncoder}. Quantizes the float weights on the fly as {@code ModelWeights} will.
 */
// TODO(lead): generated wiring: MiniLmWiring.layers(MiniLmWiring.of(source, config)) replaces this class.
final class TemporaryWiring {
  static final ModelLayout LAYOUT = new ModelLayout(MiniLmQuantConfig.NUM_LAYERS, MiniLmQuantConfig.CHECKPOINT_PREFIX);

  private TemporaryWiring() {}

  record Layers(List<BertAttention> bertAttention, List<BertMlp> bertMlp) {}

  /** The subset of {@code ModelWeights} the factories call. */
  static final class Weights {
    private final TensorSource source;
    private final QuantConfig config;

    private Weights(TensorSource source, QuantConfig config) {
      this.source = Objects.requireNonNull(source, "source");
      this.config = config;
    }

    TensorSource source() {
      return source;
    }

    boolean isQuantized(Role role, int layer) {
      if (config == null) {
        return false;
      }
      return (role == Role.MLP ? config.mlpQuantizedLayers() : config.attnQuantizedLayers()).contains(layer);
    }

    Linear projection(Role role, ProjectionKind kind, int layer, String projection) {
      String module = LAYOUT.module(layer, projection);
      TensorView weight = source.tensor(module + ".weight");
      float[] bias = floats(source.tensor(module + ".bias"));
      if (!isQuantized(role, layer)) {
        return Fp32Linear.of(module, weight, bias);
      }
      int out = Math.toIntExact(weight.shape().get(0));
      int in = Math.toIntExact(weight.shape().get(1));
      FloatMatrix matrix = new FloatMatrix(weight.name(), out, in, floats(weight));
      return Kernels.linear(module, WeightQuantizer.forConfig(config).quantize(matrix),
          InputActivations.quantized(activationQuantizer(config)), bias);
    }
  }

  /**
   * The config's activation quantizer. A float source has no calibrated {@code input_scale}, so NVFP4's
   * STATIC input spec runs with the dynamic NVFP4 quantizer (the same formula, amax taken per call).
   */
  static ActivationQuantizer activationQuantizer(QuantConfig config) {
    if (config.format() == QuantFormat.NVFP4 && config.isStatic()) {
      return ActivationQuantizer.nvfp4Dynamic();
    }
    return ActivationQuantizer.forConfig(config, null);
  }

  static float[] floats(TensorView view) {
    if (view.dtype() != StorageDType.F32) {
      throw new IllegalArgumentException("tensor " + view.name() + " is " + view.dtype() + ", expected F32");
    }
    return view.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
  }

  static Weights of(TensorSource source, QuantConfig config) {
    return new Weights(source, config);
  }

  static BertAttention bertAttention(Weights weights, int layer) {
    return new BertAttention(
        weights.projection(Role.ATTENTION, ProjectionKind.Q, layer, "attention.self.query"),
        weights.projection(Role.ATTENTION, ProjectionKind.K, layer, "attention.self.key"),
        weights.projection(Role.ATTENTION, ProjectionKind.V, layer, "attention.self.value"),
        weights.projection(Role.ATTENTION, ProjectionKind.O, layer, "attention.output.dense"));
  }

  static BertMlp bertMlp(Weights weights, int layer) {
    return new BertMlp(
        weights.projection(Role.MLP, ProjectionKind.UP, layer, "intermediate.dense"),
        weights.projection(Role.MLP, ProjectionKind.DOWN, layer, "output.dense"));
  }

  static Layers layers(Weights weights) {
    List<BertAttention> attention = new ArrayList<>();
    List<BertMlp> mlp = new ArrayList<>();
    for (int layer = 0; layer < LAYOUT.numLayers(); layer++) {
      attention.add(bertAttention(weights, layer));
      mlp.add(bertMlp(weights, layer));
    }
    return new Layers(List.copyOf(attention), List.copyOf(mlp));
  }
}
