package io.jquant.annotations.rules;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import java.util.Objects;
import java.util.Set;

/** The fields of a {@code QuantConfig}, as its builder hands them to {@link ConfigRules}. */
public record ConfigDeclaration(
    QuantFormat format,
    InputSpec input,
    WeightSpec weight,
    Set<Integer> mlpQuantizedLayers,
    Set<Integer> attnQuantizedLayers,
    DType embeddingOutputDtype,
    DType biasDtype,
    boolean fusedMlp,
    boolean scalesPreInterleaved) {
  public ConfigDeclaration {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(weight, "weight");
    mlpQuantizedLayers = Set.copyOf(mlpQuantizedLayers);
    attnQuantizedLayers = Set.copyOf(attnQuantizedLayers);
  }
}
