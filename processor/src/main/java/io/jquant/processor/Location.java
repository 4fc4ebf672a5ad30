package io.jquant.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where javac should put a diagnostic: as precise as known (the value, else the annotation, else the
 * element). {@code prefix} names the culprit when the diagnostic had to move to another element.
 */
record Location(Element element, AnnotationMirror mirror, AnnotationValue value, String prefix) {
  Location(Element element, AnnotationMirror mirror, AnnotationValue value) {
    this(element, mirror, value, "");
  }
}
