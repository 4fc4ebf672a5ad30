package io.jquant.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.InputSpec;
import io.jquant.annotations.rules.LayerRanges;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelDeclaration;
import io.jquant.annotations.rules.WeightSpec;
import io.jquant.config.BlockSize;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Writes {@code <Model>QuantConfig}: the validated {@code QuantConfig} a model declares, built once
 * through the runtime's builder (which checks it again), and a builder pre-filled with it.
 */
final class QuantConfigWriter {
  private static final ClassName QUANT_CONFIG = ClassName.get(QuantConfig.class);
  private static final ClassName INPUT_SCALE_SPEC = ClassName.get(InputScaleSpec.class);
  private static final ClassName WEIGHT_SCALE_SPEC = ClassName.get(WeightScaleSpec.class);
  private static final ClassName BLOCK_SIZE = ClassName.get(BlockSize.class);
  private static final ClassName LAYER_RANGES = ClassName.get(LayerRanges.class);

  private final Filer filer;
  private final Elements elements;

  QuantConfigWriter(Filer filer, Elements elements) {
    this.filer = filer;
    this.elements = elements;
  }

  void write(TypeElement model, ModelDeclaration declaration, ModelCheck check, boolean hasHfQuantConfig)
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
        .addField(constant(String.class, "CHECKPOINT_PREFIX", CodeBlock.of("$S", declaration.checkpointPrefix()),
            "Where layer {layer}'s tensors live in a checkpoint."))
        .addField(constant(String.class, "QUANTIZATION_CONFIG_RESOURCE",
            CodeBlock.of("$S", folder + ServingResourceWriter.QUANTIZATION_CONFIG),
            "The class-path resource with the config.json {@code quantization_config} block."));
    if (hasHfQuantConfig) {
      type.addField(constant(String.class, "HF_QUANT_CONFIG_RESOURCE",
          CodeBlock.of("$S", folder + ServingResourceWriter.HF_QUANT_CONFIG),
          "The class-path resource with modelopt's hf_quant_config.json."));
    }
    type.addField(FieldSpec.builder(QUANT_CONFIG, "CONFIG", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer(configExpression(declaration, check))
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

  private static CodeBlock configExpression(ModelDeclaration declaration, ModelCheck check) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("$T.builder($T.$L)\n", QUANT_CONFIG, QuantFormat.class, check.format().name())
        .indent().indent()
        .add(".inputScale($L)\n", inputSpec(check.input()))
        .add(".weightScale($L)\n", weightSpec(check.weight()))
        .add(".mlpQuantizedLayers($L)\n", layers(check.mlpQuantizedLayers()))
        .add(".attnQuantizedLayers($L)\n", layers(check.attnQuantizedLayers()));
    if (declaration.embeddingOutputDtype() != null) {
      code.add(".embeddingOutputDtype($T.$L)\n", DType.class, declaration.embeddingOutputDtype().name());
    }
    if (declaration.biasDtype() != null) {
      code.add(".biasDtype($T.$L)\n", DType.class, declaration.biasDtype().name());
    }
    if (declaration.fusedMlp()) {
      code.add(".canUseFusedMlp(true)\n");
    }
    if (declaration.scalesPreInterleaved()) {
      code.add(".scalesPreInterleaved(true)\n");
    }
    return code.add(".build()").unindent().unindent().build();
  }

  private static CodeBlock inputSpec(InputSpec spec) {
    return CodeBlock.of("new $T($T.$L, $T.$L, $T.$L, $L, $L)", INPUT_SCALE_SPEC,
        ScaleGranularity.class, spec.granularity().name(), ScaleOrigin.class, spec.origin().name(),
        DType.class, spec.dtype().name(),
        spec.activationUpperBound() == null ? "null" : spec.activationUpperBound() + "",
        block(spec.block()));
  }

  private static CodeBlock weightSpec(WeightSpec spec) {
    return CodeBlock.of("new $T($T.$L, $T.$L, $L)", WEIGHT_SCALE_SPEC,
        ScaleGranularity.class, spec.granularity().name(), DType.class, spec.dtype().name(), block(spec.block()));
  }

  private static CodeBlock block(List<Integer> block) {
    return block == null ? CodeBlock.of("null") : CodeBlock.of("new $T($L, $L)", BLOCK_SIZE, block.get(0), block.get(1));
  }

  /** As ranges ("0-13, 15"): a set of thousands of layers would not fit in a class initializer. */
  private static CodeBlock layers(Set<Integer> layers) {
    return CodeBlock.of("$T.of($S)", LAYER_RANGES, LayerRanges.describe(layers));
  }
}
