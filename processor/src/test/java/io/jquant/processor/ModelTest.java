package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertErrorAt;
import static io.jquant.processor.TestSources.at;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.classPathWithout;
import static io.jquant.processor.TestSources.codeSourceOf;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.compiler;
import static io.jquant.processor.TestSources.layer;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.mlp;
import static io.jquant.processor.TestSources.model;

import com.google.testing.compile.Compilation;
import io.jquant.config.QuantConfig;
import java.io.File;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The {@code Model.*}, {@code Flags.*} and {@code Setup.*} rules on {@code @QuantizedModel}. */
class ModelTest {
  private static final JavaFileObject NVFP4_MLP = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4)");
  private static final JavaFileObject NVFP4_ATTENTION = attention("LlamaAttention",
      "@Quantized(format = QuantFormat.NVFP4)");
  private static final JavaFileObject MXFP4_MLP = mlp("LlamaMlp", "@Quantized(format = QuantFormat.MXFP4)");
  private static final JavaFileObject MXFP4_ATTENTION = attention("LlamaAttention",
      "@Quantized(format = QuantFormat.MXFP4)");

  private static JavaFileObject llamaModel(String args) {
    return model("Llama", args);
  }

  // ---- Model.* ----

  @Test
  void modelName_blank() {
    JavaFileObject model = llamaModel(
        "name = \" \", numLayers = 16, layerClasses = {LlamaMlp.class, LlamaAttention.class}");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Model.Name] a model needs a name, e.g. name = \"llama-3.2-1b\".", model,
        "\" \"");
  }

  @Test
  void modelNumLayers_zero_andLayersAreNotBlamedForIt() {
    JavaFileObject model = llamaModel(
        "name = \"llama\", numLayers = 0, layerClasses = {LlamaMlp.class, LlamaAttention.class}");
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.NVFP4, layers = {\"0-3\"})");

    Compilation c = compile(model, mlp, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Model.NumLayers] a model has at least one layer; numLayers is 0.", model, "0,");
  }

  @Test
  void modelNumLayers_aboveTheLimit() {
    JavaFileObject model = llamaModel(
        "name = \"llama\", numLayers = 70000, layerClasses = {LlamaMlp.class, LlamaAttention.class}");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Model.NumLayers] jquant supports at most 4096 layers; numLayers is 70000.",
        model, "70000");
  }

  @Test
  void modelCheckpointPrefix_withoutPlaceholder() {
    JavaFileObject model = llamaModel(
        "name = \"llama\", numLayers = 16, checkpointPrefix = \"model.layers\", "
            + "layerClasses = {LlamaMlp.class, LlamaAttention.class}");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Model.CheckpointPrefix] checkpoint prefix \"model.layers\" is not a dotted name with "
            + "one {layer} placeholder, like \"model.layers.{layer}\".",
        model, "\"model.layers\"");
  }

  @Test
  void modelCheckpointPrefix_twoPlaceholders() {
    JavaFileObject model = llamaModel(
        "name = \"llama\", numLayers = 16, checkpointPrefix = \"h.{layer}.{layer}\", "
            + "layerClasses = {LlamaMlp.class, LlamaAttention.class}");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Model.CheckpointPrefix] checkpoint prefix \"h.{layer}.{layer}\" is not a dotted name",
        model, "\"h.{layer}.{layer}\"");
  }

  @Test
  void modelNoLayerClasses() {
    JavaFileObject model = llamaModel("name = \"llama\", numLayers = 16, layerClasses = {}");

    Compilation c = compile(model);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Model.NoLayerClasses] Llama lists no layer classes; name its @Quantized MLP and "
            + "attention classes in layerClasses.",
        model, "{}");
  }

  @Test
  void modelDuplicateLayerClass_onTheSecondListing() {
    JavaFileObject model = llamaModel("name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, LlamaAttention.class, LlamaMlp.class}");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    // A class literal's diagnostic is on its '.class'.
    assertErrorAt(c,
        "[jquant:Model.DuplicateLayerClass] LlamaMlp is listed twice in layerClasses; list it once.",
        model, at(model, ".class", 3));
  }

  @Test
  void modelNotQuantized_onTheLayerClassesElement() {
    JavaFileObject model = llamaModel("name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, LlamaAttention.class, Plain.class}");
    JavaFileObject plain = layer("Plain", List.of("mlp.gate_proj"));

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION, plain);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Model.NotQuantized] Plain is listed in layerClasses but has no @Quantized; annotate "
            + "it with @Quantized(format = ...) or remove it from the list.",
        model, at(model, ".class", 3));
  }

  @Test
  void modelNotQuantized_singleListingWithoutBraces() {
    JavaFileObject model = llamaModel("name = \"llama\", numLayers = 16, layerClasses = Plain.class");
    JavaFileObject plain = layer("Plain", List.of("mlp.up_proj", "mlp.down_proj"));

    Compilation c = compile(model, plain);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Model.NotQuantized] Plain is listed in layerClasses but has no @Quantized;",
        model, ".class");
  }

  @Test
  void modelNotQuantized_aClassFromTheClassPath() {
    JavaFileObject model = llamaModel("name = \"llama\", numLayers = 16, "
        + "layerClasses = {String.class, LlamaMlp.class, LlamaAttention.class}");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Model.NotQuantized] String is listed in layerClasses but has no @Quantized;",
        model, at(model, ".class", 1));
  }

  /**
   * A primitive class literal is no layer class. Before the fix the processor deferred it like a class not
   * generated yet and ended with "layer class int.class cannot be resolved; if it is generated, check the
   * earlier errors, otherwise add it to the class path".
   */
  @Test
  void modelNotQuantized_aPrimitiveClassLiteral() {
    JavaFileObject model = llamaModel("name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, LlamaAttention.class, int.class}");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Model.NotQuantized] int is listed in layerClasses but has no @Quantized;",
        model, at(model, ".class", 3));
  }

  @Test
  void modelUnresolvedLayerClass_afterTheLastRound() {
    JavaFileObject model = llamaModel("name = \"llama\", numLayers = 16, "
        + "layerClasses = {LlamaMlp.class, Missing.class}");

    Compilation c = compile(model, NVFP4_MLP);

    assertThat(c).failed();
    // javac's own error names the type; the processor's is on the listing.
    assertThat(c).hadErrorCount(2);
    assertErrorAt(c, "cannot find symbol", model, "Missing");
    assertErrorAt(c, "[jquant:Model.UnresolvedLayerClass] this layer class cannot be resolved; if it is "
        + "generated, check the earlier errors, otherwise add it to the class path.", model,
        at(model, ".class", 2));
  }

  @Test
  void modelMixedFormats_onTheSecondClassFormat() {
    JavaFileObject attention = attention("LlamaAttention", "@Quantized(format = QuantFormat.MXFP4)");

    Compilation c = compile(llama(), NVFP4_MLP, attention);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Model.MixedFormats] LlamaAttention is MXFP4 but LlamaMlp is NVFP4; a model has one "
            + "format.",
        attention, ".MXFP4");
  }

  @Test
  void modelMixedScales_onTheDifferingValue() {
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.FBGEMM_FP8)");
    JavaFileObject attention = attention("LlamaAttention", "@Quantized(format = QuantFormat.FBGEMM_FP8)",
        "@InputScale(activationUpperBound = 600)");

    Compilation c = compile(llama(), mlp, attention);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Model.MixedScales] LlamaAttention has input scales COLWISE DYNAMIC FLOAT8_E4M3FN ub "
            + "600.0 and weight scales ROWWISE FLOAT32, but LlamaMlp has COLWISE DYNAMIC FLOAT8_E4M3FN ub"
            + " 1200.0 and "
            + "ROWWISE FLOAT32; a model has one input and one weight scale spec, so declare the same "
            + "@InputScale/@WeightScale on both.",
        attention, "600");
  }

  @Test
  void modelMixedScales_unwrittenSpec_isReportedOnTheFormatThatPrescribedIt() {
    JavaFileObject mlp = mlp("LlamaMlp", "@Quantized(format = QuantFormat.FBGEMM_FP8)",
        "@WeightScale(dtype = DType.BFLOAT16)");
    JavaFileObject attention = attention("LlamaAttention", "@Quantized(format = QuantFormat.FBGEMM_FP8)");

    Compilation c = compile(llama(), mlp, attention);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Model.MixedScales] LlamaAttention has input scales COLWISE DYNAMIC FLOAT8_E4M3FN ub "
            + "1200.0 and weight scales ROWWISE FLOAT32, but LlamaMlp has COLWISE DYNAMIC FLOAT8_E4M3FN ub"
            + " 1200.0 and "
            + "ROWWISE BFLOAT16;",
        attention, ".FBGEMM_FP8");
  }

  // ---- Flags.* ----

  @Test
  void flagsPreInterleaved_onlyForNvfp4() {
    JavaFileObject model = llama("scalesPreInterleaved = true");

    Compilation c = compile(model, MXFP4_MLP, MXFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Flags.PreInterleaved] pre-interleaved (128x4 tiled) weight scales are an NVFP4 "
        + "checkpoint layout; this model is MXFP4. Remove scalesPreInterleaved.", model, "true");
  }

  @Test
  void flagsFusedMlpFormat() {
    JavaFileObject model = llama("fusedMlp = true");

    Compilation c = compile(model, MXFP4_MLP, MXFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Flags.FusedMlpFormat] MXFP4 gate and up projections cannot run as one fused matmul "
            + "(MAX never fuses them). Remove fusedMlp.",
        model, "true");
  }

  @Test
  void flagsFusedMlpNeedsGateUp_mlpWithoutGate() {
    JavaFileObject model = llama("fusedMlp = true");
    JavaFileObject mlp = layer("LlamaMlp", List.of("mlp.up_proj", "mlp.down_proj"),
        "@Quantized(format = QuantFormat.NVFP4)");

    Compilation c = compile(model, mlp, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Flags.FusedMlpNeedsGateUp] fusedMlp runs gate and up as one matmul, but no MLP layer "
            + "class has both a gate and an up projection.",
        model, "true");
  }

  @Test
  void flagsFusedMlpNeedsGateUp_noMlpClassAtAll() {
    JavaFileObject model = llamaModel(
        "name = \"llama\", numLayers = 16, layerClasses = {LlamaAttention.class}, fusedMlp = true");

    Compilation c = compile(model, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Flags.FusedMlpNeedsGateUp] fusedMlp runs gate and up as one matmul", model,
        "true");
  }

  @Test
  void flagsEmbeddingDType() {
    JavaFileObject model = llama("embeddingOutputDtype = DType.INT8");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Flags.EmbeddingDType] the embedding output is an activation: FLOAT32, BFLOAT16, "
            + "FLOAT16, FLOAT8_E4M3FN or FLOAT8_E5M2, not INT8.",
        model, ".INT8");
  }

  @Test
  void flagsBiasDType() {
    JavaFileObject model = llama("biasDtype = DType.FLOAT8_E4M3FN");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c, "[jquant:Flags.BiasDType] biases are FLOAT32, BFLOAT16 or FLOAT16, not FLOAT8_E4M3FN.",
        model, ".FLOAT8_E4M3FN");
  }

  @Test
  void flagsThatTheFormatAllows_reachTheConfig() {
    JavaFileObject model = llama("fusedMlp = true, scalesPreInterleaved = true, biasDtype = DType.BFLOAT16");

    Compilation c = compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).succeededWithoutWarnings();
    QuantConfig config = TestSources.loadConfig(c, "test.LlamaQuantConfig");
    assertThat(config.canUseFusedMlp()).isTrue();
    assertThat(config.scalesPreInterleaved()).isTrue();
    assertThat(config.biasDtype()).isEqualTo(io.jquant.annotations.DType.BFLOAT16);
    // Not declared: unset, as in MAX.
    assertThat(config.embeddingOutputDtype()).isNull();
  }

  // ---- Setup.* ----

  @Test
  void setupRuntimeMissing_onTheModelAnnotation() {
    File runtime = codeSourceOf(QuantConfig.class);
    List<File> classPath = classPathWithout(entry -> new File(entry).equals(runtime));
    assertThat(classPath).contains(codeSourceOf(io.jquant.annotations.QuantizedModel.class));
    JavaFileObject model = llama();

    Compilation c = compiler().withClasspath(classPath).compile(model, NVFP4_MLP, NVFP4_ATTENTION);

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertErrorAt(c,
        "[jquant:Setup.RuntimeMissing] io.jquant:jquant-runtime is not on the class path, and the "
            + "generated LlamaQuantConfig needs it; add it as a dependency.",
        model, "@QuantizedModel");
  }
}
