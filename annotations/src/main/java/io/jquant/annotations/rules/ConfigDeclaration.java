package io.jquant.annotations.rules;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of a {@code QuantConfig}, as its builder hands them to {@link ConfigRules}. The last three are
 * MoE fields that no annotation declares.
 *
 * @param sharedExpertsWeightDtype null when shared experts are quantized like the routed ones
 */
public record ConfigDeclaration(
    QuantFormat format,
    InputSpec input,
    WeightSpec weight,
    Set<Integer> mlpQuantizedLayers,
    Set<Integer> attnQuantizedLayers,
    DType embeddingOutputDtype,
    DType biasDtype,
    boolean fusedMlp,
    boolean scalesPreInterleaved,
    boolean fusedSwiglu,
    boolean blockScaledPreshuffledB,
    DType sharedExpertsWeightDtype) {
  public ConfigDeclaration {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(weight, "weight");
    mlpQuantizedLayers = Set.copyOf(mlpQuantizedLayers);
    attnQuantizedLayers = Set.copyOf(attnQuantizedLayers);
  }

  /** A dense model's config: no MoE fields set. */
  public ConfigDeclaration(
      QuantFormat format,
      InputSpec input,
      WeightSpec weight,
      Set<Integer> mlpQuantizedLayers,
      Set<Integer> attnQuantizedLayers,
      DType embeddingOutputDtype,
      DType biasDtype,
      boolean fusedMlp,
      boolean scalesPreInterleaved) {
    this(format, input, weight, mlpQuantizedLayers, attnQuantizedLayers, embeddingOutputDtype, biasDtype,
        fusedMlp,
        scalesPreInterleaved, false, false, null);
  }
}
