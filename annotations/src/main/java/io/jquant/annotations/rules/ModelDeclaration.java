package io.jquant.annotations.rules;

import io.jquant.annotations.DType;
import java.util.List;
import java.util.Objects;

/**
 * A {@code @QuantizedModel} with its layer classes in listing order.
 *
 * @param embeddingOutputDtype null when not declared
 * @param biasDtype null when not declared
 */
public record ModelDeclaration(
    String className,
    String name,
    int numLayers,
    String checkpointPrefix,
    List<PartDeclaration> layerClasses,
    DType embeddingOutputDtype,
    DType biasDtype,
    boolean fusedMlp,
    boolean scalesPreInterleaved) {
  public ModelDeclaration {
    Objects.requireNonNull(checkpointPrefix, "checkpointPrefix");
    layerClasses = List.copyOf(layerClasses);
  }
}
