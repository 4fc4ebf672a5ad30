package io.jquant.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import javax.annotation.processing.Filer;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** Writes a generated class next to its model, marked {@code @Generated} where that annotation exists. */
final class GeneratedSource {
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  private GeneratedSource() {}

  static void write(Filer filer, Elements elements, TypeElement model, TypeSpec.Builder type) throws IOException {
    // javax.annotation.processing.Generated lives in java.compiler, which a compilation may not see.
    if (elements.getTypeElement(GENERATED.canonicalName()) != null) {
      type.addAnnotation(AnnotationSpec.builder(GENERATED)
          .addMember("value", "$S", QuantizedProcessor.class.getName())
          .build());
    }
    JavaFile.builder(GeneratedNames.packageName(model), type.build())
        .skipJavaLangImports(true)
        .indent("    ")
        .build()
        .writeTo(filer);
  }
}
