package io.jquant.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Reads annotation values through the mirror API, telling written members from defaults: an omitted
 * {@code @WeightScale} member means "the format's value", so only explicit values count.
 */
final class Mirrors {
  private final Elements elements;

  Mirrors(Elements elements) {
    this.elements = elements;
  }

  /**
   * Whether {@code constructor} is a record's canonical constructor. javac marks it only in records compiled
   * from source; a record read from a class file is recognised by its parameter types, which are the
   * components' types in order.
   */
  boolean isCanonicalConstructor(ExecutableElement constructor) {
    if (elements.isCanonicalConstructor(constructor)) {
      return true;
    }
    if (!(constructor.getEnclosingElement() instanceof javax.lang.model.element.TypeElement record)
        || record.getKind() != javax.lang.model.element.ElementKind.RECORD) {
      return false;
    }
    var components = record.getRecordComponents();
    var parameters = constructor.getParameters();
    if (components.size() != parameters.size()) {
      return false;
    }
    for (int i = 0; i < components.size(); i++) {
      if (!components.get(i).asType().toString().equals(parameters.get(i).asType().toString())) {
        return false;
      }
    }
    return true;
  }

  /** The annotation of type {@code qualifiedName} on {@code element}, or null. */
  static AnnotationMirror find(Element element, String qualifiedName) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(qualifiedName)) {
        return mirror;
      }
    }
    return null;
  }

  /** The value the user wrote for {@code member}, or null when it was omitted. */
  static AnnotationValue explicit(AnnotationMirror mirror, String member) {
    if (mirror == null) {
      return null;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : mirror.getElementValues()
        .entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(member)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** The value of {@code member}, written or default. */
  AnnotationValue valueWithDefault(AnnotationMirror mirror, String member) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : elements
        .getElementValuesWithDefaults(mirror).entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(member)) {
        return entry.getValue();
      }
    }
    throw new IllegalStateException("no member " + member + " in " + mirror);
  }

  /**
   * An enum constant value, as {@code type}'s constant; unreadable (a compile error javac reports) throws.
   */
  static <E extends Enum<E>> E enumValue(AnnotationValue value, Class<E> type) {
    if (value.getValue() instanceof VariableElement constant) {
      return Enum.valueOf(type, constant.getSimpleName().toString());
    }
    throw new Unreadable();
  }

  static String stringValue(AnnotationValue value) {
    if (value.getValue() instanceof String text) {
      return text;
    }
    throw new Unreadable();
  }

  static int intValue(AnnotationValue value) {
    if (value.getValue() instanceof Integer number) {
      return number;
    }
    throw new Unreadable();
  }

  static boolean booleanValue(AnnotationValue value) {
    if (value.getValue() instanceof Boolean flag) {
      return flag;
    }
    throw new Unreadable();
  }

  static double doubleValue(AnnotationValue value) {
    if (value.getValue() instanceof Double number) {
      return number;
    }
    throw new Unreadable();
  }

  /** The elements of an array value. */
  static List<AnnotationValue> arrayValue(AnnotationValue value) {
    if (value.getValue() instanceof List<?> items) {
      List<AnnotationValue> values = new ArrayList<>();
      for (Object item : items) {
        values.add((AnnotationValue) item);
      }
      return values;
    }
    throw new Unreadable();
  }

  /** A class literal's type, or null when javac could not resolve it (it then holds the string "<error>"). */
  static TypeMirror classValue(AnnotationValue value) {
    return value.getValue() instanceof TypeMirror type ? type : null;
  }

  /**
   * A value javac could not read; javac has reported the compile error already, so the processor adds nothing
   * for that element.
   */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable() {
      super(null, null, false, false);
    }
  }
}
