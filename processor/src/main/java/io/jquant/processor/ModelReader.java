package io.jquant.processor;

import io.jquant.annotations.DType;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.annotations.rules.PartDeclaration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/** Reads a {@code @QuantizedModel} class and its layer classes into the rule set's model. */
final class ModelReader {
  private final Mirrors mirrors;
  private final PartReader parts;
  private final Predicate<TypeElement> inSource;

  ModelReader(Mirrors mirrors, Predicate<TypeElement> inSource) {
    this.mirrors = mirrors;
    this.parts = new PartReader(mirrors);
    this.inSource = inSource;
  }

  /** A read model, or {@link #unresolved} naming layer classes javac cannot resolve yet. */
  record Read(ModelDeclaration declaration, ModelSource source, List<Integer> unresolved) {
    boolean isComplete() {
      return unresolved.isEmpty();
    }
  }

  Read read(TypeElement model) {
    AnnotationMirror mirror = Mirrors.find(model, Names.QUANTIZED_MODEL);
    List<PartDeclaration> declarations = new ArrayList<>();
    List<PartSource> sources = new ArrayList<>();
    List<Integer> unresolved = new ArrayList<>();
    List<AnnotationValue> listed = Mirrors.arrayValue(mirrors.valueWithDefault(mirror, "layerClasses"));
    for (int i = 0; i < listed.size(); i++) {
      TypeMirror type = Mirrors.classValue(listed.get(i));
      if (type == null) {
        unresolved.add(i);
        continue;
      }
      if (!(type instanceof DeclaredType declared)) {
        // int.class, String[].class: resolved, but no class that could carry @Quantized. Only
        // model-level violations (Model.NotQuantized, Model.DuplicateLayerClass) concern it.
        declarations.add(PartDeclaration.unquantized(type.toString()));
        sources.add(new PartSource(null, true, null, null, null, List.of()));
        continue;
      }
      TypeElement element = (TypeElement) declared.asElement();
      PartReader.Read read = parts.read(element, inSource.test(element));
      declarations.add(read.declaration());
      sources.add(read.source());
    }
    ModelDeclaration declaration = new ModelDeclaration(
        model.getQualifiedName().toString(),
        Mirrors.stringValue(mirrors.valueWithDefault(mirror, "name")),
        Mirrors.intValue(mirrors.valueWithDefault(mirror, "numLayers")),
        Mirrors.stringValue(mirrors.valueWithDefault(mirror, "checkpointPrefix")),
        declarations,
        explicitDtype(mirror, "embeddingOutputDtype"),
        explicitDtype(mirror, "biasDtype"),
        Mirrors.booleanValue(mirrors.valueWithDefault(mirror, "fusedMlp")),
        Mirrors.booleanValue(mirrors.valueWithDefault(mirror, "scalesPreInterleaved")));
    return new Read(declaration, new ModelSource(model, mirror, sources), unresolved);
  }

  /** MAX leaves these dtypes unset (None) unless declared. */
  private static DType explicitDtype(AnnotationMirror mirror, String member) {
    AnnotationValue value = Mirrors.explicit(mirror, member);
    return value == null ? null : Mirrors.enumValue(value, DType.class);
  }
}
