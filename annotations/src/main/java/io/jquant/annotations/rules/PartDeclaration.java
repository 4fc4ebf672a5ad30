package io.jquant.annotations.rules;

import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import java.util.List;

/**
 * One entry of a model's {@code layerClasses}: the class and, when it carries {@code @Quantized}, its
 * declaration with the scale specs already resolved (format prescription plus overrides).
 *
 * @param layers the {@code layers} entries, or null when omitted (every layer)
 */
public record PartDeclaration(
    String className,
    boolean quantized,
    QuantFormat format,
    List<String> layers,
    Role role,
    InputSpec input,
    WeightSpec weight,
    List<ProjectionDeclaration> projections) {
  public PartDeclaration {
    layers = layers == null ? null : List.copyOf(layers);
    projections = projections == null ? List.of() : List.copyOf(projections);
  }

  /** A listed class without {@code @Quantized}. */
  public static PartDeclaration unquantized(String className) {
    return new PartDeclaration(className, false, null, null, null, null, null, List.of());
  }
}
