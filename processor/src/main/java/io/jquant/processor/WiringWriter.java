package io.jquant.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.jquant.annotations.ProjectionKind;
import io.jquant.annotations.Role;
import io.jquant.annotations.rules.LayerRanges;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ProjectionDeclaration;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.ModuleNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Writes {@code <Model>Wiring}: opening a checkpoint under the model's layout and declared config, one
 * factory per layer class that builds it for a layer through its {@code @Projection} constructor, and
 * {@code layers(weights)} building every layer of every class.
 */
final class WiringWriter {
  private static final ClassName QUANT_CONFIG = ClassName.get(QuantConfig.class);
  private static final ClassName MODEL_LAYOUT = ClassName.get(Names.RUNTIME_MODEL, "ModelLayout");
  private static final ClassName MODEL_WEIGHTS = ClassName.get(Names.RUNTIME_MODEL, "ModelWeights");
  private static final ClassName TENSOR_SOURCE = ClassName.get(Names.RUNTIME_MODEL, "TensorSource");
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName MODULE_NAMES = ClassName.get(ModuleNames.class);

  /** One layer class: its element, role, constructor arguments and the layers {@code layers()} builds. */
  record LayerClass(TypeElement type, Role role, List<ProjectionDeclaration> arguments, Set<Integer> builds,
      boolean alone) {
    String factory() {
      String flat = GeneratedNames.flatName(type);
      return flat.substring(0, 1).toLowerCase(Locale.ROOT) + flat.substring(1);
    }
  }

  private final Filer filer;
  private final Elements elements;

  /** {@code "a",$W"b"}: string literals a list may wrap between. */
  private static CodeBlock strings(List<String> values) {
    return CodeBlock.join(values.stream().map(v -> CodeBlock.of("$S", v)).toList(), ",$W");
  }

  WiringWriter(Filer filer, Elements elements) {
    this.filer = filer;
    this.elements = elements;
  }

  /**
   * Writes the wiring of {@code model}; its {@code LAYOUT} carries {@code names}, so the runtime reads the
   * checkpoint's ignore list with the names the serving resources were written with.
   */
  void write(TypeElement model, ModelCheck check, List<LayerClass> classes, ModuleNames names)
      throws IOException {
    ClassName config = ClassName.get(GeneratedNames.packageName(model),
        GeneratedNames.configClassName(model));
    ClassName wiring = ClassName.get(GeneratedNames.packageName(model),
        GeneratedNames.wiringClassName(model));
    ClassName layers = wiring.nestedClass("Layers");
    TypeSpec.Builder type = TypeSpec.classBuilder(wiring)
        .addOriginatingElement(model)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc(
            "Builds the layer classes of {@link $T} from a checkpoint,\neach projection with the kernel "
                + "of its layer's quantization.\n",
            model)
        .addJavadoc("\n<p>Generated from the annotations; do not edit.\n")
        .addField(FieldSpec.builder(MODEL_LAYOUT, "LAYOUT", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Where the model's layers live in a checkpoint.\n")
            .initializer("new $T($T.NUM_LAYERS,$Wnew $T($T.CHECKPOINT_PREFIX,$W$T.of($L),$W$T.of($L)))",
                MODEL_LAYOUT, config, MODULE_NAMES, config, LIST, strings(names.mlp()), LIST,
                strings(names.attention()))
            .build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(MethodSpec.methodBuilder("open")
            .addJavadoc(
                "Opens {@code checkpoint} with the declared {@link $T#config()},\nrefusing a checkpoint "
                    + "whose own quantization config disagrees.\n",
                config)
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(MODEL_WEIGHTS)
            .addParameter(Path.class, "checkpoint")
            .addException(IOException.class)
            .addStatement("return $T.open(checkpoint, LAYOUT, $T.config())", MODEL_WEIGHTS, config)
            .build())
        .addMethod(MethodSpec.methodBuilder("open")
            .addJavadoc("Opens {@code checkpoint} with {@code config}; null runs every layer unquantized.\n")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(MODEL_WEIGHTS)
            .addParameter(Path.class, "checkpoint")
            .addParameter(QUANT_CONFIG, "config")
            .addException(IOException.class)
            .addStatement("return $T.open(checkpoint, LAYOUT, config)", MODEL_WEIGHTS)
            .build())
        .addMethod(MethodSpec.methodBuilder("of")
            .addJavadoc(
                "The weights of {@code source} with {@code config}; null runs every layer unquantized.\n")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(MODEL_WEIGHTS)
            .addParameter(TENSOR_SOURCE, "source")
            .addParameter(QUANT_CONFIG, "config")
            .addStatement("return $T.of(source, LAYOUT, config)", MODEL_WEIGHTS)
            .build());
    for (LayerClass layerClass : classes) {
      type.addMethod(factory(layerClass, check));
    }
    type.addMethod(layersMethod(classes, layers)).addType(layersRecord(classes, layers));
    GeneratedSource.write(filer, elements, model, type);
  }

  private static MethodSpec factory(LayerClass layerClass, ModelCheck check) {
    Set<Integer> quantized = new TreeSet<>(
        layerClass.role() == Role.MLP ? check.mlpQuantizedLayers() : check.attnQuantizedLayers());
    quantized.retainAll(layerClass.builds());
    Set<Integer> plain = new TreeSet<>(layerClass.builds());
    plain.removeAll(quantized);
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("Layer {@code layer}'s {@link $T}, the $L.\n", layerClass.type(),
            layerClass.role() == Role.MLP ? "MLP" : "attention")
        .add("\n<p>Declared: $L.\nWeights opened with another config (or null) follow that config.\n",
            quantizedText(quantized, plain, check));
    if (!layerClass.alone()) {
      doc.add("{@link #layers} builds it for layers $L.\n", LayerRanges.describe(layerClass.builds()));
    }
    CodeBlock.Builder arguments = CodeBlock.builder();
    for (int i = 0; i < layerClass.arguments().size(); i++) {
      ProjectionDeclaration projection = layerClass.arguments().get(i);
      arguments.add(i == 0 ? "\n" : ",\n")
          .add("weights.projection($T.$L, $T.$L, layer, $S)", Role.class, layerClass.role().name(),
              ProjectionKind.class, projection.resolvedKind().name(), projection.name());
    }
    return MethodSpec.methodBuilder(layerClass.factory())
        .addJavadoc(doc.build())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(ClassName.get(layerClass.type()))
        .addParameter(MODEL_WEIGHTS, "weights")
        .addParameter(int.class, "layer")
        .addCode(CodeBlock.builder()
            .add("return new $T(", ClassName.get(layerClass.type()))
            .indent().indent().add(arguments.build()).unindent().unindent()
            .add(");\n")
            .build())
        .build();
  }

  private static String quantizedText(Set<Integer> quantized, Set<Integer> plain, ModelCheck check) {
    String format = check.format().name();
    if (plain.isEmpty()) {
      return format + " in every layer";
    }
    if (quantized.isEmpty()) {
      return "unquantized in every layer";
    }
    return format + " in layers " + LayerRanges.describe(quantized) + ", unquantized in layers "
        + LayerRanges.describe(plain);
  }

  private static MethodSpec layersMethod(List<LayerClass> classes, ClassName layers) {
    CodeBlock.Builder code = CodeBlock.builder().addStatement("int n = LAYOUT.numLayers()");
    boolean anyNull = false;
    for (LayerClass layerClass : classes) {
      ClassName element = ClassName.get(layerClass.type());
      code.addStatement("$T<$T> $L = new $T<>(n)", List.class, element, layerClass.factory(),
          ArrayList.class);
      if (!layerClass.alone()) {
        anyNull = true;
        code.addStatement("$T<Integer> $LLayers = $T.of($S)", Set.class, layerClass.factory(),
            LayerRanges.class,
            LayerRanges.describe(layerClass.builds()));
      }
    }
    code.beginControlFlow("for (int layer = 0; layer < n; layer++)");
    for (LayerClass layerClass : classes) {
      String name = layerClass.factory();
      if (layerClass.alone()) {
        code.addStatement("$L.add($L(weights, layer))", name, name);
      } else {
        code.addStatement("$L.add($LLayers.contains(layer) ? $L(weights, layer) : null)", name, name, name);
      }
    }
    code.endControlFlow();
    CodeBlock.Builder arguments = CodeBlock.builder();
    for (int i = 0; i < classes.size(); i++) {
      arguments.add(i == 0 ? "" : ", ").add("$T.unmodifiableList($L)", Collections.class,
          classes.get(i).factory());
    }
    code.addStatement("return new $T($L)", layers, arguments.build());
    return MethodSpec.methodBuilder("layers")
        .addJavadoc("Every layer of every layer class, built from {@code weights}"
            + (anyNull ? "; see {@link Layers} for the null entries" : "") + ".\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(layers)
        .addParameter(MODEL_WEIGHTS, "weights")
        .addCode(code.build())
        .build();
  }

  private static TypeSpec layersRecord(List<LayerClass> classes, ClassName layers) {
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("Every layer of every layer class: each list has one entry per layer, indexed by layer.\n");
    boolean anyNull = classes.stream().anyMatch(c -> !c.alone());
    if (anyNull) {
      doc.add(
          "\n<p>Where a role has several classes, each builds the layers its {@code layers} claims and the "
              + "first also\nthe layers none claims (unquantized); an entry its class does not build is"
              + " null.\n");
    }
    doc.add("\n");
    for (LayerClass layerClass : classes) {
      TypeName list = ParameterizedTypeName.get(LIST, ClassName.get(layerClass.type()));
      constructor.addParameter(list, layerClass.factory());
      doc.add("@param $L $L\n", layerClass.factory(), layerClass.alone()
          ? "every layer"
          : "layers " + LayerRanges.describe(layerClass.builds()) + ", null elsewhere");
    }
    return TypeSpec.recordBuilder(layers)
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc(doc.build())
        .recordConstructor(constructor.build())
        .build();
  }
}
