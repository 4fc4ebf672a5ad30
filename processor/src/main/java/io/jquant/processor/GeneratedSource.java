package io.jquant.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.Writer;
import java.util.regex.Pattern;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.JavaFileObject;

/**
 * Writes a generated class next to its model, marked {@code @Generated} where that annotation exists, in the
 * project's style: two-space indentation, long lines wrapped where the writers put {@code $W} / {@code $Z}.
 */
final class GeneratedSource {
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  /** JavaPoet keeps the space before a wrap point ({@code " = "} then a wrapped value) at the line's end. */
  private static final Pattern TRAILING_SPACES = Pattern.compile("[ \\t]+$", Pattern.MULTILINE);

  private GeneratedSource() {}

  static void write(Filer filer, Elements elements, TypeElement model, TypeSpec.Builder type)
      throws IOException {
    // javax.annotation.processing.Generated lives in java.compiler, which a compilation may not see.
    if (elements.getTypeElement(GENERATED.canonicalName()) != null) {
      type.addAnnotation(AnnotationSpec.builder(GENERATED)
          .addMember("value", "$S", QuantizedProcessor.class.getName())
          .build());
    }
    TypeSpec spec = type.build();
    JavaFile file = JavaFile.builder(GeneratedNames.packageName(model), spec)
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
    String name = file.packageName().isEmpty() ? spec.name() : file.packageName() + "." + spec.name();
    JavaFileObject source = filer.createSourceFile(name, spec.originatingElements().toArray(Element[]::new));
    try (Writer writer = source.openWriter()) {
      writer.write(TRAILING_SPACES.matcher(file.toString()).replaceAll(""));
    }
  }
}
