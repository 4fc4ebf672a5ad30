package io.jquant.processor;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The source of one layer class: its element and annotations, to put diagnostics on.
 *
 * @param inSource whether the class is compiled now (a class from a jar has no positions)
 * @param projections parallel to the declaration's projections
 */
record PartSource(
    TypeElement type,
    boolean inSource,
    AnnotationMirror quantized,
    AnnotationMirror inputScale,
    AnnotationMirror weightScale,
    List<ProjectionSource> projections) {

  /** A {@code @Projection} and the parameter or field it is on. */
  record ProjectionSource(Element element, AnnotationMirror mirror) {}

  AnnotationMirror mirrorOf(String annotation) {
    return switch (annotation) {
      case "Quantized" -> quantized;
      case "InputScale" -> inputScale;
      case "WeightScale" -> weightScale;
      default -> null;
    };
  }
}
