package io.jquant.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.config.QuantConfig;
import java.io.IOException;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Writes {@code <Model>QuantConfig}: the validated {@code QuantConfig} a model declares
 * ({@link DeclaredConfig}, printed by {@link QuantConfigSource}), and a builder pre-filled with it.
 */
final class QuantConfigWriter {
  private static final ClassName QUANT_CONFIG = ClassName.get(QuantConfig.class);

  private final Filer filer;
  private final Elements elements;

  QuantConfigWriter(Filer filer, Elements elements) {
    this.filer = filer;
    this.elements = elements;
  }

  void write(TypeElement model, ModelDeclaration declaration, QuantConfig config, boolean hasHfQuantConfig)
      throws IOException {
    String folder = "/" + GeneratedNames.resourceFolder(model) + "/";
    TypeSpec.Builder type = TypeSpec.classBuilder(GeneratedNames.configClassName(model))
        .addOriginatingElement(model)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("The quantization declared on {@link $T}, checked by jquant at compile time.\n", model)
        .addJavadoc("\n<p>Generated from the annotations; do not edit.\n")
        .addField(constant(String.class, "MODEL_NAME", CodeBlock.of("$S", declaration.name()),
            "The model's name."))
        .addField(constant(int.class, "NUM_LAYERS", CodeBlock.of("$L", declaration.numLayers()),
            "The number of transformer layers."))
        .addField(
            constant(String.class, "CHECKPOINT_PREFIX", CodeBlock.of("$S", declaration.checkpointPrefix()),
                "Where layer {layer}'s tensors live in a checkpoint."))
        .addField(constant(String.class, "QUANTIZATION_CONFIG_RESOURCE",
            CodeBlock.of("$Z$S", folder + ServingResourceWriter.QUANTIZATION_CONFIG),
            "The class-path resource with the config.json {@code quantization_config} block."));
    if (hasHfQuantConfig) {
      type.addField(constant(String.class, "HF_QUANT_CONFIG_RESOURCE",
          CodeBlock.of("$Z$S", folder + ServingResourceWriter.HF_QUANT_CONFIG),
          "The class-path resource with modelopt's hf_quant_config.json."));
    }
    type.addField(FieldSpec.builder(QUANT_CONFIG, "CONFIG", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer(QuantConfigSource.expression(config))
        .build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(MethodSpec.methodBuilder("config")
            .addJavadoc("The validated configuration.\n")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(QUANT_CONFIG)
            .addStatement("return CONFIG")
            .build())
        .addMethod(MethodSpec.methodBuilder("builder")
            .addJavadoc("A builder pre-filled with {@link #config()}; its {@code build()} checks again.\n")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(QUANT_CONFIG.nestedClass("Builder"))
            .addStatement("return CONFIG.toBuilder()")
            .build());
    GeneratedSource.write(filer, elements, model, type);
  }

  private static FieldSpec constant(Class<?> type, String name, CodeBlock value, String doc) {
    return FieldSpec.builder(type, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc + "\n")
        .initializer(value)
        .build();
  }
}
