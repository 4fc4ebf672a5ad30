package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.assertMatchesGolden;
import static io.jquant.processor.TestSources.assertSucceededWithServingWarnings;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.compile;
import static io.jquant.processor.TestSources.content;
import static io.jquant.processor.TestSources.generatedJson;
import static io.jquant.processor.TestSources.generatedNonClassFiles;
import static io.jquant.processor.TestSources.generatedResource;
import static io.jquant.processor.TestSources.generatedSource;
import static io.jquant.processor.TestSources.layer;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.loadConfig;
import static io.jquant.processor.TestSources.loadConstant;
import static io.jquant.processor.TestSources.mlp;
import static io.jquant.processor.TestSources.model;
import static io.jquant.processor.TestSources.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.annotations.rules.LayerRanges;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import io.jquant.processor.TestSources.RecordingProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a clean model generates: {@code <Model>QuantConfig} (goldens for a few, a run of the generated
 * {@code config()} for every format) and the serving engines' JSON resources.
 */
class GenerationTest {
  private static final String QUANTIZATION_CONFIG = "META-INF/jquant/test.Llama/quantization_config.json";
  private static final String HF_QUANT_CONFIG = "META-INF/jquant/test.Llama/hf_quant_config.json";

  private static JavaFileObject llamaMlp(String quantized, String... more) {
    List<String> annotations = new ArrayList<>(List.of(quantized));
    annotations.addAll(List.of(more));
    return mlp("LlamaMlp", annotations.toArray(String[]::new));
  }

  private static Compilation compileLlama(QuantFormat format) {
    String quantized = "@Quantized(format = QuantFormat." + format.name() + ")";
    return compile(llama(), mlp("LlamaMlp", quantized), attention("LlamaAttention", quantized));
  }

  // ---- every format ----

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void llamaCompilesCleanly_inEveryFormat_withTheFormatsDefaults(QuantFormat format) {
    Compilation c = compileLlama(format);

    // Every layer quantized: only the formats some engine cannot read as declared draw a warning.
    switch (format) {
      case FBGEMM_FP8, MXFP8 -> assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
      case MXFP4 -> assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets"); // MAX: no attention
      default -> assertSucceededWithServingWarnings(c);
    }
    QuantConfig expected = QuantConfig.builder(format).allLayers(16).build();
    assertThat(loadConfig(c, "test.LlamaQuantConfig")).isEqualTo(expected);
    assertThat(loadConstant(c, "test.LlamaQuantConfig", "MODEL_NAME")).isEqualTo("llama-3.2-1b");
    assertThat(loadConstant(c, "test.LlamaQuantConfig", "NUM_LAYERS")).isEqualTo(16);
    assertThat(loadConstant(c, "test.LlamaQuantConfig", "CHECKPOINT_PREFIX"))
        .isEqualTo("model.layers.{layer}");
    assertThat(loadConstant(c, "test.LlamaQuantConfig", "QUANTIZATION_CONFIG_RESOURCE"))
        .isEqualTo("/" + QUANTIZATION_CONFIG);

    List<String> expectedFiles = new ArrayList<>(List.of(
        "/CLASS_OUTPUT/" + QUANTIZATION_CONFIG, "/SOURCE_OUTPUT/test/LlamaQuantConfig.java",
        "/SOURCE_OUTPUT/test/LlamaWiring.java"));
    if (format == QuantFormat.NVFP4) {
      expectedFiles.add(0, "/CLASS_OUTPUT/" + HF_QUANT_CONFIG);
      assertThat(loadConstant(c, "test.LlamaQuantConfig", "HF_QUANT_CONFIG_RESOURCE"))
          .isEqualTo("/" + HF_QUANT_CONFIG);
    } else {
      assertThat(generatedSource(c, "test.LlamaQuantConfig")).doesNotContain("HF_QUANT_CONFIG_RESOURCE");
    }
    assertThat(generatedNonClassFiles(c)).containsExactlyElementsIn(expectedFiles).inOrder();

    // Every layer quantized: only lm_head stays unquantized.
    Map<String, Object> json = generatedJson(c, QUANTIZATION_CONFIG);
    String ignoreKey = switch (format) {
      case NVFP4, COMPRESSED_TENSORS_FP8, MXFP8, MXFP4, INT8_W8A8 -> "ignore";
      case FBGEMM_FP8, BLOCKSCALED_FP8 -> "modules_to_not_convert";
    };
    assertThat(json.get(ignoreKey)).isEqualTo(List.of("lm_head"));
    String quantMethod = switch (format) {
      case NVFP4 -> "modelopt";
      case COMPRESSED_TENSORS_FP8, MXFP8, MXFP4, INT8_W8A8 -> "compressed-tensors";
      case FBGEMM_FP8 -> "fbgemm_fp8";
      case BLOCKSCALED_FP8 -> "fp8";
    };
    assertThat(json.get("quant_method")).isEqualTo(quantMethod);
  }

  @Test
  void layersOfEachRole_reachTheConfig() {
    JavaFileObject mlp = llamaMlp(
        "@Quantized(format = QuantFormat.MXFP8, layers = {\"0-3\", \"8\", \"10-11\"})");
    JavaFileObject attention = attention("LlamaAttention",
        "@Quantized(format = QuantFormat.MXFP8, layers = \"15\")");

    Compilation c = compile(llama(), mlp, attention);

    assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
    QuantConfig config = loadConfig(c, "test.LlamaQuantConfig");
    assertThat(config.mlpQuantizedLayers()).containsExactly(0, 1, 2, 3, 8, 10, 11).inOrder();
    assertThat(config.attnQuantizedLayers()).containsExactly(15);
  }

  @Test
  void anMlpOnlyModel_hasNoQuantizedAttentionLayers() {
    JavaFileObject model = model("Llama", "name = \"llama\", numLayers = 2, layerClasses = LlamaMlp.class");

    Compilation c = compile(model, llamaMlp("@Quantized(format = QuantFormat.FBGEMM_FP8)"));

    assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
    QuantConfig config = loadConfig(c, "test.LlamaQuantConfig");
    assertThat(config.mlpQuantizedLayers()).containsExactly(0, 1).inOrder();
    assertThat(config.attnQuantizedLayers()).isEmpty();
  }

  @Test
  void aModelInTheDefaultPackage() {
    JavaFileObject model = JavaFileObjects.forSourceLines("Tiny",
        "import io.jquant.annotations.*;",
        "@QuantizedModel(name = \"tiny\", numLayers = 1, layerClasses = TinyMlp.class)",
        "public final class Tiny {}");
    JavaFileObject mlp = JavaFileObjects.forSourceLines("TinyMlp",
        "import io.jquant.annotations.*;",
        "@Quantized(format = QuantFormat.MXFP4)",
        "public record TinyMlp(",
        "  @Projection(\"mlp.up_proj\") Object up,",
        "  @Projection(\"mlp.down_proj\") Object down) {}");

    Compilation c = compile(model, mlp);

    assertSucceededWithServingWarnings(c);
    assertThat(loadConfig(c, "TinyQuantConfig").mlpQuantizedLayers()).containsExactly(0);
    assertThat(loadConstant(c, "TinyQuantConfig", "QUANTIZATION_CONFIG_RESOURCE"))
        .isEqualTo("/META-INF/jquant/Tiny/quantization_config.json");
    // Dense MXFP4 is compressed-tensors' mxfp4-pack-quantized (quant_method "mxfp4" is gpt-oss's MoE form).
    assertThat(generatedJson(c, "META-INF/jquant/Tiny/quantization_config.json")).isEqualTo(
        io.jquant.config.hf.HfQuantConfigParser.readJson("expected", """
            {"quant_method": "compressed-tensors", "format": "mxfp4-pack-quantized",
             "quantization_status": "compressed",
             "config_groups": {"group_0": {"targets": ["Linear"],
               "weights": {"num_bits": 4, "type": "float", "symmetric": true, "strategy": "group",
                 "dynamic": false, "group_size": 32, "scale_dtype": "torch.uint8"},
               "input_activations": {"num_bits": 4, "type": "float", "symmetric": true, "strategy": "group",
                 "dynamic": true, "group_size": 32, "scale_dtype": "torch.uint8"}}},
             "ignore": ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
               "model.layers.0.self_attn.v_proj", "model.layers.0.self_attn.o_proj", "lm_head"],
             "kv_cache_scheme": null}
            """));
  }

  /**
   * The rules accept up to {@link LayerRanges#MAX_LAYERS} layers, so such a model must compile. The generated
   * {@code Set.of(0, 1, ..., n-1)} for both layer sets exceeds the JVM's 64 KB method limit from about 3000
   * layers on: javac fails on the generated file with "code too large".
   */
  @Test
  void aModelWithTheMostLayersTheRulesAccept_compiles() {
    int numLayers = LayerRanges.MAX_LAYERS;
    JavaFileObject model = model("Llama", "name = \"huge\", numLayers = " + numLayers
        + ", layerClasses = {LlamaMlp.class, LlamaAttention.class}");
    String quantized = "@Quantized(format = QuantFormat.NVFP4)";

    Compilation c = compile(model, mlp("LlamaMlp", quantized), attention("LlamaAttention", quantized));

    assertSucceededWithServingWarnings(c);
    QuantConfig config = loadConfig(c, "test.LlamaQuantConfig");
    assertThat(config.mlpQuantizedLayers()).hasSize(numLayers);
    assertThat(config.attnQuantizedLayers()).hasSize(numLayers);
  }

  // ---- goldens ----

  @Test
  void nvfp4Llama() {
    JavaFileObject mlp = llamaMlp("@Quantized(format = QuantFormat.NVFP4, layers = {\"0-13\", \"15\"})");

    Compilation c = compile(llama("embeddingOutputDtype = DType.BFLOAT16"), mlp,
        attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
    assertMatchesGolden(GenerationTest.class, "nvfp4Llama", "test.LlamaQuantConfig",
        generatedSource(c, "test.LlamaQuantConfig"));
  }

  @Test
  void tensorwiseFp8WithFlags() {
    String[] annotations = {
        "@Quantized(format = QuantFormat.FBGEMM_FP8)",
        "@WeightScale(granularity = ScaleGranularity.TENSOR)",
        "@InputScale(granularity = ScaleGranularity.TENSOR, origin = ScaleOrigin.STATIC, dtype ="
            + " DType.FLOAT32)"
    };

    Compilation c = compile(llama("biasDtype = DType.BFLOAT16, fusedMlp = true"),
        mlp("LlamaMlp", annotations), attention("LlamaAttention", annotations));

    assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
    assertMatchesGolden(GenerationTest.class, "tensorwiseFp8WithFlags", "test.LlamaQuantConfig",
        generatedSource(c, "test.LlamaQuantConfig"));
    assertThat(loadConfig(c, "test.LlamaQuantConfig")).isEqualTo(QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(ScaleGranularity.TENSOR, ScaleOrigin.STATIC, DType.FLOAT32))
        .weightScale(new WeightScaleSpec(ScaleGranularity.TENSOR, DType.FLOAT32))
        .allLayers(16)
        .biasDtype(DType.BFLOAT16)
        .canUseFusedMlp(true)
        .build());
  }

  @Test
  void nestedMlpOnlyModel() {
    JavaFileObject outer = source("Outer",
        "public final class Outer {",
        "  @QuantizedModel(name = \"deepseek-mini\", numLayers = 4, checkpointPrefix ="
            + " \"model.decoder.{layer}\",",
        "      layerClasses = Outer.Mlp.class)",
        "  public static final class Llama {}",
        "",
        "  @Quantized(format = QuantFormat.BLOCKSCALED_FP8, layers = {\"1-3\"})",
        "  record Mlp(",
        "    @Projection(\"mlp.gate_proj\") Object gate,",
        "    @Projection(\"mlp.up_proj\") Object up,",
        "    @Projection(\"mlp.down_proj\") Object down) {}",
        "}");

    Compilation c = compile(outer);

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
    assertMatchesGolden(GenerationTest.class, "nestedMlpOnlyModel", "test.Outer_LlamaQuantConfig",
        generatedSource(c, "test.Outer_LlamaQuantConfig"));
    assertThat(generatedJson(c, "META-INF/jquant/test.Outer_Llama/quantization_config.json"))
        .containsEntry("weight_block_size", List.of(128, 128));
  }

  // ---- the JSON resources ----

  @Test
  void nvfp4Resources_ignoreTheUnquantizedLayersProjections() {
    JavaFileObject model = model("Llama", "name = \"llama\", numLayers = 4, "
        + "layerClasses = {LlamaMlp.class, LlamaAttention.class}");
    JavaFileObject mlp = llamaMlp("@Quantized(format = QuantFormat.NVFP4, layers = \"0-2\")");
    JavaFileObject attention = attention("LlamaAttention",
        "@Quantized(format = QuantFormat.NVFP4, layers = \"1-3\")");

    Compilation c = compile(model, mlp, attention);

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
    List<String> ignore = List.of(
        "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
        "model.layers.0.self_attn.v_proj", "model.layers.0.self_attn.o_proj",
        "model.layers.3.mlp.gate_proj", "model.layers.3.mlp.up_proj", "model.layers.3.mlp.down_proj",
        "lm_head", "model.layers.0.self_attn*", "model.layers.3.mlp*"); // globs: MAX's newer parser
    Map<String, Object> config = generatedJson(c, QUANTIZATION_CONFIG);
    assertThat(List.copyOf(config.keySet())).containsExactly(
        "config_groups", "ignore", "quant_algo", "kv_cache_scheme", "producer", "quant_method").inOrder();
    assertThat(config).containsEntry("ignore", ignore);
    assertThat(config).containsEntry("quant_algo", "NVFP4");
    assertThat(config).containsEntry("quant_method", "modelopt");
    assertThat(config).containsEntry("kv_cache_scheme", null);
    assertThat(config).containsEntry("producer", ordered("name", "modelopt", "version", "jquant"));
    assertThat(config).containsEntry("config_groups", ordered("group_0", ordered(
        "input_activations", ordered("dynamic", false, "num_bits", 4, "type", "float", "group_size", 16),
        "weights", ordered("dynamic", false, "num_bits", 4, "type", "float", "group_size", 16),
        "targets", List.of("Linear"))));

    Map<String, Object> hf = generatedJson(c, HF_QUANT_CONFIG);
    assertThat(hf).isEqualTo(ordered(
        "producer", ordered("name", "modelopt", "version", "jquant"),
        "quantization", ordered("quant_algo", "NVFP4", "kv_cache_quant_algo", null, "group_size", 16,
            "exclude_modules", ignore)));
  }

  @Test
  void ignoreList_usesTheDeclaredProjectionNamesAndPrefix() {
    JavaFileObject mlp = source("GptMlp",
        "@Quantized(format = QuantFormat.INT8_W8A8, layers = \"0\")",
        "public final class GptMlp {",
        "  GptMlp(@Projection(value = \"mlp.c_fc\", kind = ProjectionKind.UP) Object fc,",
        "      @Projection(value = \"mlp.c_proj\", kind = ProjectionKind.DOWN) Object proj) {}",
        "}");
    JavaFileObject attention = layer("GptAttention", List.of("attn.qkv_proj", "attn.o_proj"),
        "@Quantized(format = QuantFormat.INT8_W8A8, layers = \"1\")");
    JavaFileObject model = model("Gpt2",
        "name = \"gpt2\", numLayers = 2, checkpointPrefix = \"transformer.h.{layer}\", "
            + "layerClasses = {GptMlp.class, GptAttention.class}");

    Compilation c = compile(model, mlp, attention);

    assertSucceededWithServingWarnings(c);
    Map<String, Object> config = generatedJson(c, "META-INF/jquant/test.Gpt2/quantization_config.json");
    assertThat(config).containsEntry("ignore", List.of(
        "transformer.h.0.attn.qkv_proj", "transformer.h.0.attn.o_proj",
        "transformer.h.1.mlp.c_fc", "transformer.h.1.mlp.c_proj",
        "lm_head"));
    assertThat(config).containsEntry("quant_method", "compressed-tensors");
    assertThat(config).containsEntry("format", "int-quantized");
    assertThat(config).containsEntry("config_groups", ordered("group_0", ordered(
        "targets", List.of("Linear"),
        "weights",
        ordered("num_bits", 8, "type", "int", "symmetric", true, "strategy", "channel", "dynamic", false),
        "input_activations",
        ordered("num_bits", 8, "type", "int", "symmetric", true, "strategy", "token", "dynamic", true))));
  }

  @Test
  void ignoreList_aRoleWithoutClass_keepsTheLlamaNames() {
    JavaFileObject model = model("Llama", "name = \"llama\", numLayers = 2, layerClasses = LlamaMlp.class");
    JavaFileObject mlp = llamaMlp("@Quantized(format = QuantFormat.FBGEMM_FP8)",
        "@InputScale(activationUpperBound = 448)");

    Compilation c = compile(model, mlp);

    assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
    List<String> ignore = new ArrayList<>();
    for (int layer = 0; layer < 2; layer++) {
      for (String name : TestSources.ATTENTION) {
        ignore.add("model.layers." + layer + "." + name);
      }
    }
    ignore.add("lm_head");
    assertThat(generatedJson(c, QUANTIZATION_CONFIG)).isEqualTo(ordered(
        "quant_method", "fbgemm_fp8", "activation_scale_ub", 448.0, "modules_to_not_convert", ignore));
  }

  @Test
  void tensorwiseFp8_isWrittenAsHuggingFacesFp8() {
    String[] annotations = {
        "@Quantized(format = QuantFormat.FBGEMM_FP8, layers = \"0-14\")",
        "@WeightScale(granularity = ScaleGranularity.TENSOR)",
        "@InputScale(granularity = ScaleGranularity.TENSOR, origin = ScaleOrigin.STATIC)"
    };

    Compilation c = compile(llama(), mlp("LlamaMlp", annotations), attention("LlamaAttention", annotations));

    assertSucceededWithServingWarnings(c, "Serving.EngineFormat");
    List<String> ignore = new ArrayList<>();
    TestSources.ATTENTION.forEach(name -> ignore.add("model.layers.15." + name));
    TestSources.MLP.forEach(name -> ignore.add("model.layers.15." + name));
    ignore.add("lm_head");
    assertThat(generatedJson(c, QUANTIZATION_CONFIG)).isEqualTo(ordered(
        "quant_method", "fp8", "activation_scheme", "static", "modules_to_not_convert", ignore));
  }

  @Test
  void compressedTensorsFp8_tensorWeights_andResourceFormatting() {
    String[] annotations = {
        "@Quantized(format = QuantFormat.COMPRESSED_TENSORS_FP8)",
        "@WeightScale(granularity = ScaleGranularity.TENSOR)"
    };

    Compilation c = compile(llama(), mlp("LlamaMlp", annotations), attention("LlamaAttention", annotations));

    assertSucceededWithServingWarnings(c);
    // As jquant quantize writes config.json: Python's json.dumps(indent=2), null kept, one final newline.
    assertThat(generatedResource(c, QUANTIZATION_CONFIG)).isEqualTo(String.join("\n",
        "{",
        "  \"quant_method\": \"compressed-tensors\",",
        "  \"format\": \"float-quantized\",",
        "  \"quantization_status\": \"compressed\",",
        "  \"config_groups\": {",
        "    \"group_0\": {",
        "      \"targets\": [",
        "        \"Linear\"",
        "      ],",
        "      \"weights\": {",
        "        \"num_bits\": 8,",
        "        \"type\": \"float\",",
        "        \"symmetric\": true,",
        "        \"strategy\": \"tensor\",",
        "        \"dynamic\": false",
        "      },",
        "      \"input_activations\": {",
        "        \"num_bits\": 8,",
        "        \"type\": \"float\",",
        "        \"symmetric\": true,",
        "        \"strategy\": \"token\",",
        "        \"dynamic\": true",
        "      }",
        "    }",
        "  },",
        "  \"ignore\": [",
        "    \"lm_head\"",
        "  ],",
        "  \"kv_cache_scheme\": null",
        "}",
        ""));
  }

  // ---- how files are generated ----

  @Test
  void generationIsIdenticalOnTwoCompilations() {
    Map<String, String> first = generatedContents(compileLlama(QuantFormat.NVFP4));
    Map<String, String> second = generatedContents(compileLlama(QuantFormat.NVFP4));

    assertThat(first.keySet()).containsExactly(
        "/CLASS_OUTPUT/" + HF_QUANT_CONFIG, "/CLASS_OUTPUT/" + QUANTIZATION_CONFIG,
        "/SOURCE_OUTPUT/test/LlamaQuantConfig.java", "/SOURCE_OUTPUT/test/LlamaWiring.java");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void nothingIsGenerated_whenTheModelHasErrors() {
    RecordingProcessor processor = new RecordingProcessor();
    JavaFileObject mlp = llamaMlp("@Quantized(format = QuantFormat.NVFP4, layers = {\"0-3\", \"x\"})");

    Compilation c = Compiler.javac().withProcessors(processor)
        .compile(llama(), mlp, attention("LlamaAttention", "@Quantized(format = QuantFormat.NVFP4)"));

    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(processor.created()).isEmpty();
  }

  @Test
  void everyGeneratedFile_hasTheModelAsItsOneOriginatingElement() {
    RecordingProcessor processor = new RecordingProcessor();
    String quantized = "@Quantized(format = QuantFormat.NVFP4)";

    Compilation c = Compiler.javac().withProcessors(processor)
        .compile(llama(), mlp("LlamaMlp", quantized), attention("LlamaAttention", quantized));

    assertSucceededWithServingWarnings(c);
    assertThat(processor.created()).containsExactly(
        new RecordingProcessor.Created("RESOURCE " + QUANTIZATION_CONFIG, List.of("test.Llama")),
        new RecordingProcessor.Created("RESOURCE " + HF_QUANT_CONFIG, List.of("test.Llama")),
        new RecordingProcessor.Created("SOURCE test.LlamaQuantConfig", List.of("test.Llama")),
        new RecordingProcessor.Created("SOURCE test.LlamaWiring", List.of("test.Llama")));
  }

  @Test
  void generatedSource_isMarkedGenerated_withoutDatesOrPaths() {
    Compilation c = compileLlama(QuantFormat.MXFP4);

    assertSucceededWithServingWarnings(c, "Serving.MaxLayerSets");
    String source = generatedSource(c, "test.LlamaQuantConfig");
    assertThat(source).contains("@Generated(\"io.jquant.processor.QuantizedProcessor\")\npublic final class "
        + "LlamaQuantConfig {");
    assertThat(source).contains("The quantization declared on {@link Llama}");
    assertThat(source).doesNotContainMatch("(?i)\\b(19|20)\\d\\d-\\d\\d-\\d\\d\\b");
    assertThat(source).doesNotContain(System.getProperty("user.dir"));
  }

  // ---- helpers ----

  private static Map<String, String> generatedContents(Compilation compilation) {
    Map<String, String> contents = new LinkedHashMap<>();
    compilation.generatedFiles().stream()
        .filter(f -> f.getKind() != JavaFileObject.Kind.CLASS)
        .sorted((a, b) -> a.getName().compareTo(b.getName()))
        .forEach(f -> contents.put(f.getName(), content(f)));
    return contents;
  }

  /** A map in the given key order, as the JSON reader returns objects. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    IntStream.range(0, keysAndValues.length / 2)
        .forEach(i -> map.put((String) keysAndValues[2 * i], keysAndValues[2 * i + 1]));
    return map;
  }
}
