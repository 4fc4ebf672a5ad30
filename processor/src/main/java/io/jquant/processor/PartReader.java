package io.jquant.processor;

import io.jquant.annotations.DType;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.FormatProfile;
import io.jquant.annotations.rules.InputSpec;
import io.jquant.annotations.rules.PartDeclaration;
import io.jquant.annotations.rules.ProjectionDeclaration;
import io.jquant.annotations.rules.WeightSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;

/** Reads a layer class's {@code @Quantized}, scale overrides and projections into the rule set's model. */
final class PartReader {
  private final Mirrors mirrors;

  PartReader(Mirrors mirrors) {
    this.mirrors = mirrors;
  }

  record Read(PartDeclaration declaration, PartSource source) {}

  Read read(TypeElement type, boolean inSource) {
    String name = type.getQualifiedName().toString();
    AnnotationMirror quantized = Mirrors.find(type, Names.QUANTIZED);
    if (quantized == null) {
      return new Read(PartDeclaration.unquantized(name),
          new PartSource(type, inSource, null, null, null, List.of()));
    }
    QuantFormat format = Mirrors.enumValue(mirrors.valueWithDefault(quantized, "format"), QuantFormat.class);
    AnnotationValue layersValue = Mirrors.explicit(quantized, "layers");
    List<String> layers = null;
    if (layersValue != null) {
      layers = new ArrayList<>();
      for (AnnotationValue entry : Mirrors.arrayValue(layersValue)) {
        layers.add(Mirrors.stringValue(entry));
      }
    }
    Role role = Mirrors.enumValue(mirrors.valueWithDefault(quantized, "role"), Role.class);

    FormatProfile profile = FormatProfile.of(format);
    AnnotationMirror input = Mirrors.find(type, Names.INPUT_SCALE);
    AnnotationMirror weight = Mirrors.find(type, Names.WEIGHT_SCALE);
    InputSpec inputSpec = profile.inputWith(
        enumOrNull(input, "granularity", ScaleGranularity.class),
        enumOrNull(input, "origin", ScaleOrigin.class),
        enumOrNull(input, "dtype", DType.class),
        blockOrNull(input),
        upperBoundOrNull(input));
    WeightSpec weightSpec = profile.weightWith(
        enumOrNull(weight, "granularity", ScaleGranularity.class),
        enumOrNull(weight, "dtype", DType.class),
        blockOrNull(weight));

    List<ProjectionDeclaration> projections = new ArrayList<>();
    List<PartSource.ProjectionSource> projectionSources = new ArrayList<>();
    for (Element element : projectionElements(type)) {
      AnnotationMirror projection = Mirrors.find(element, Names.PROJECTION);
      projections.add(new ProjectionDeclaration(
          Mirrors.stringValue(mirrors.valueWithDefault(projection, "value")),
          Mirrors.enumValue(mirrors.valueWithDefault(projection, "kind"), ProjectionKind.class)));
      projectionSources.add(new PartSource.ProjectionSource(element, projection));
    }
    return new Read(
        new PartDeclaration(name, true, format, layers, role, inputSpec, weightSpec, projections),
        new PartSource(type, inSource, quantized, input, weight, projectionSources));
  }

  /**
   * Fields first, then constructor parameters, each in declaration order. A record component's
   * {@code @Projection} is propagated to both its field and its canonical constructor's parameter; the field
   * stands for it, so that parameter is skipped.
   */
  private List<Element> projectionElements(TypeElement type) {
    List<Element> found = new ArrayList<>();
    Set<String> annotatedFields = new HashSet<>();
    for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (Mirrors.find(field, Names.PROJECTION) != null) {
        found.add(field);
        annotatedFields.add(field.getSimpleName().toString());
      }
    }
    for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      boolean canonical = mirrors.isCanonicalConstructor(constructor);
      List<? extends VariableElement> parameters = constructor.getParameters();
      for (int i = 0; i < parameters.size(); i++) {
        VariableElement parameter = parameters.get(i);
        // By position: a record from a class file may have lost its parameter names.
        if (canonical
            && annotatedFields.contains(type.getRecordComponents().get(i).getSimpleName().toString())) {
          continue;
        }
        if (Mirrors.find(parameter, Names.PROJECTION) != null) {
          found.add(parameter);
        }
      }
    }
    return found;
  }

  private static <E extends Enum<E>> E enumOrNull(AnnotationMirror mirror, String member, Class<E> type) {
    AnnotationValue value = Mirrors.explicit(mirror, member);
    return value == null ? null : Mirrors.enumValue(value, type);
  }

  private static List<Integer> blockOrNull(AnnotationMirror mirror) {
    AnnotationValue value = Mirrors.explicit(mirror, "block");
    if (value == null) {
      return null;
    }
    List<Integer> block = new ArrayList<>();
    for (AnnotationValue entry : Mirrors.arrayValue(value)) {
      block.add(Mirrors.intValue(entry));
    }
    return block;
  }

  private static Double upperBoundOrNull(AnnotationMirror mirror) {
    AnnotationValue value = Mirrors.explicit(mirror, "activationUpperBound");
    return value == null ? null : Mirrors.doubleValue(value);
  }
}
