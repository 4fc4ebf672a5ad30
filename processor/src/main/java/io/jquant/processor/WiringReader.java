package io.jquant.processor;

import io.jquant.annotations.rules.PartDeclaration;
import io.jquant.annotations.rules.ProjectionDeclaration;
import io.jquant.annotations.rules.RuleId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;

/**
 * Finds, for each layer class, the constructor the generated wiring calls: the one whose parameters are all
 * {@code @Projection}s and together are every projection of the class (a record's canonical constructor). The
 * wiring can only pass what {@code ModelWeights.projection} returns, so every parameter must accept a
 * {@code Linear}.
 */
final class WiringReader {
  /** A layer class's constructor, as the projections its parameters take, in parameter order. */
  record Constructor(List<ProjectionDeclaration> arguments) {}

  private final Mirrors mirrors;
  private final Types types;
  private final TypeMirror linear;

  WiringReader(Mirrors mirrors, Types types, TypeElement linear) {
    this.mirrors = mirrors;
    this.types = types;
    this.linear = linear.asType();
  }

  /** The constructor of layer class {@code part}, or null after adding what is wrong to {@code problems}. */
  Constructor read(ModelSource model, int part, PartDeclaration declaration, List<Problem> problems) {
    PartSource source = model.parts().get(part);
    TypeElement type = source.type();
    String name = type.getSimpleName().toString();
    String classProblem = classProblem(type);
    if (classProblem != null) {
      problems.add(noConstructor(model, part, name, classProblem));
      return null;
    }
    Map<ExecutableElement, List<Integer>> complete = new LinkedHashMap<>();
    Map<ExecutableElement, List<Integer>> partial = new LinkedHashMap<>();
    for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      List<Integer> indices = projectionIndices(constructor, source);
      if (indices == null || indices.isEmpty()) {
        continue;
      }
      int count = source.projections().size();
      (indices.size() == count && indices.stream().distinct().count() == count ? complete : partial)
          .put(constructor, indices);
    }
    List<ExecutableElement> callable = complete.keySet().stream()
        .filter(c -> !c.getModifiers().contains(Modifier.PRIVATE)).toList();
    if (callable.size() > 1) {
      problems.add(noConstructor(model, part, name, "it has " + callable.size() + ": "
          + callable.stream().map(WiringReader::signature).collect(Collectors.joining(" and "))
          + "; keep one."));
      return null;
    }
    if (callable.isEmpty()) {
      problems.add(noConstructor(model, part, name, missingReason(name, declaration, complete, partial)));
      return null;
    }
    ExecutableElement constructor = callable.get(0);
    List<Integer> indices = complete.get(constructor);
    List<ProjectionDeclaration> arguments = new ArrayList<>();
    boolean typesFit = true;
    for (int i = 0; i < indices.size(); i++) {
      ProjectionDeclaration projection = declaration.projections().get(indices.get(i));
      VariableElement parameter = constructor.getParameters().get(i);
      arguments.add(projection);
      if (!types.isAssignable(linear, parameter.asType())) {
        typesFit = false;
        PartSource.ProjectionSource at = source.projections().get(indices.get(i));
        String message = "the wiring passes projection "
            + projection.name() + " as a Linear, which this " + parameter.asType()
            + " cannot take; declare it "
            + "Linear (or a supertype).";
        problems.add(new Problem(RuleId.WIRING_PARAMETER_TYPE, message, source.inSource()
            ? new Location(at.element(), at.mirror(), null)
            : model.locateClass(part)));
      }
    }
    return typesFit ? new Constructor(arguments) : null;
  }

  /** The generated class sits in the model's package: a class it cannot name or instantiate alone. */
  private static String classProblem(TypeElement type) {
    if (type.getModifiers().contains(Modifier.ABSTRACT) || type.getKind() == ElementKind.INTERFACE) {
      return "it is abstract; list a concrete class.";
    }
    for (Element e = type; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        return (t == type ? "it is" : t.getSimpleName() + " is")
            + " private; make it package-private or public.";
      }
    }
    if (type.getNestingKind().isNested() && !type.getModifiers().contains(Modifier.STATIC)
        && type.getKind() == ElementKind.CLASS) {
      return "it is an inner class, which needs an enclosing instance; make it static.";
    }
    return null;
  }

  private static String missingReason(String name, PartDeclaration declaration,
      Map<ExecutableElement, List<Integer>> complete, Map<ExecutableElement, List<Integer>> partial) {
    if (!complete.isEmpty()) {
      return "the one it has, " + signature(complete.keySet().iterator().next())
          + ", is private; make it package-private or public.";
    }
    String all = declaration.projections().stream().map(ProjectionDeclaration::name)
        .collect(Collectors.joining(", "));
    if (!partial.isEmpty()) {
      return signature(partial.keySet().iterator().next()) + " takes only some of its projections (" + all
          + "); take them all as parameters (@Projection fields cannot be set).";
    }
    return "its projections (" + all + ") are fields; take them as the parameters of a constructor "
        + name + "(@Projection(...) Linear ...) instead (a record's components are both).";
  }

  private static Problem noConstructor(ModelSource model, int part, String name, String reason) {
    String message = "jquant builds " + name
        + " through a constructor whose parameters are all @Projection Linear; " + reason;
    PartSource source = model.parts().get(part);
    Location at = source.inSource() ? new Location(source.type(), null, null) : model.locateClass(part);
    return new Problem(RuleId.WIRING_NO_CONSTRUCTOR, message, at);
  }

  /**
   * For each parameter, the index of the projection it is (a record's canonical parameter stands for its
   * field); null when some parameter is no projection.
   */
  private List<Integer> projectionIndices(ExecutableElement constructor, PartSource source) {
    boolean canonical = mirrors.isCanonicalConstructor(constructor);
    List<Integer> indices = new ArrayList<>();
    TypeElement type = (TypeElement) constructor.getEnclosingElement();
    for (int p = 0; p < constructor.getParameters().size(); p++) {
      VariableElement parameter = constructor.getParameters().get(p);
      // A canonical parameter stands for its component's field, matched by position (a record from a class
      // file may have lost its parameter names).
      String fieldName = canonical ? type.getRecordComponents().get(p).getSimpleName().toString() : null;
      int index = -1;
      for (int i = 0; i < source.projections().size() && index < 0; i++) {
        Element element = source.projections().get(i).element();
        if (element.equals(parameter) || canonical && element.getKind() == ElementKind.FIELD
            && element.getSimpleName().contentEquals(fieldName)) {
          index = i;
        }
      }
      if (index < 0) {
        return null;
      }
      indices.add(index);
    }
    return indices;
  }

  private static String signature(ExecutableElement constructor) {
    return constructor.getEnclosingElement().getSimpleName() + "(" + constructor.getParameters().stream()
        .map(p -> p.asType() + " " + p.getSimpleName()).collect(Collectors.joining(", ")) + ")";
  }
}
