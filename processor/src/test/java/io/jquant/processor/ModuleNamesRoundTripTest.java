package io.jquant.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.jquant.processor.TestSources.attention;
import static io.jquant.processor.TestSources.errorMessages;
import static io.jquant.processor.TestSources.generatedJson;
import static io.jquant.processor.TestSources.llama;
import static io.jquant.processor.TestSources.loadConfig;
import static io.jquant.processor.TestSources.mlp;

import com.fasterxml.jackson.jr.ob.JSON;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.ConfigAgreement;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.ModuleNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's generated ignore list names its modules with its declared checkpoint prefix and projection names,
 * and reading it back with those names gives the declared layer sets: MiniLM's (encoder.layer.{layer},
 * attention.self.query, intermediate.dense, ...) as well as Llama's.
 */
class ModuleNamesRoundTripTest {
  private static final String MINILM_RESOURCE = "META-INF/jquant/test.MiniLm/quantization_config.json";
  private static final String LLAMA_RESOURCE = "META-INF/jquant/test.Llama/quantization_config.json";
  private static final ModuleNames MINILM_NAMES = new ModuleNames("encoder.layer.{layer}",
      List.of("intermediate.dense", "output.dense"),
      List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense"));

  @TempDir
  Path dir;

  /** MiniLM, 6 layers, INT8 W8A8: the MLP of layers 4-5 and the attention of layer 0 stay unquantized. */
  private static JavaFileObject[] miniLm() {
    return TestSources.miniLm("1-5");
  }

  private static Optional<HfQuantization> parse(Map<String, Object> block, int layers, ModuleNames names) {
    return HfQuantConfigParser.parse(Map.of("quantization_config", block), null, layers,
        CheckpointTensors.none(), names);
  }

  private static List<String> messages(List<ConfigAgreement.Disagreement> found) {
    return found.stream().map(ConfigAgreement.Disagreement::message).toList();
  }

  @Test
  void miniLmsGeneratedList_namesItsModules_andReadsBackWithItsNames() {
    Compilation c = TestSources.compile(miniLm());

    assertThat(c).succeededWithoutWarnings();
    Map<String, Object> block = generatedJson(c, MINILM_RESOURCE);
    assertThat(block.get("ignore")).isEqualTo(List.of("encoder.layer.0.attention.self.query",
        "encoder.layer.0.attention.self.key", "encoder.layer.0.attention.self.value",
        "encoder.layer.0.attention.output.dense", "encoder.layer.4.intermediate.dense",
        "encoder.layer.4.output.dense", "encoder.layer.5.intermediate.dense", "encoder.layer.5.output.dense",
        "lm_head"));
    QuantConfig declared = loadConfig(c, "test.MiniLmQuantConfig");
    Optional<HfQuantization> parsed = parse(block, 6, MINILM_NAMES);

    assertThat(parsed.orElseThrow().config().mlpQuantizedLayers()).containsExactly(0, 1, 2, 3).inOrder();
    assertThat(parsed.orElseThrow().config().attnQuantizedLayers()).containsExactly(1, 2, 3, 4, 5).inOrder();
    assertThat(ConfigAgreement.compare(declared, parsed, 6)).isEmpty();
  }

  /** The test above can fail: Llama names find none of MiniLM's modules, so every layer reads quantized. */
  @Test
  void miniLmsGeneratedList_readWithLlamaNames_disagrees() {
    Compilation c = TestSources.compile(miniLm());
    Map<String, Object> block = generatedJson(c, MINILM_RESOURCE);

    List<ConfigAgreement.Disagreement> found = ConfigAgreement.compare(
        loadConfig(c, "test.MiniLmQuantConfig"),
        parse(block, 6, ModuleNames.llama()), 6);

    assertThat(messages(found)).containsExactly(
        "layer 4 MLP: declared not quantized, but config.json: quantization_config says quantized"
            + " (INT8_W8A8)",
        "layer 5 MLP: declared not quantized, but config.json: quantization_config says quantized"
            + " (INT8_W8A8)",
        "layer 0 attention: declared not quantized, but config.json: quantization_config says quantized"
            + " (INT8_W8A8)")
        .inOrder();
  }

  @Test
  void llamasGeneratedList_stillReadsBackWithTheDefaultNames() {
    Compilation c = TestSources.compile(llama(),
        mlp("LlamaMlp", "@Quantized(format = QuantFormat.INT8_W8A8, layers = \"0-13\")"),
        attention("LlamaAttention", "@Quantized(format = QuantFormat.INT8_W8A8, layers = \"1-15\")"));

    assertThat(c).succeededWithoutWarnings();
    Map<String, Object> block = generatedJson(c, LLAMA_RESOURCE);
    assertThat(block.get("ignore")).isEqualTo(List.of("model.layers.0.self_attn.q_proj",
        "model.layers.0.self_attn.k_proj", "model.layers.0.self_attn.v_proj",
        "model.layers.0.self_attn.o_proj",
        "model.layers.14.mlp.gate_proj", "model.layers.14.mlp.up_proj", "model.layers.14.mlp.down_proj",
        "model.layers.15.mlp.gate_proj", "model.layers.15.mlp.up_proj", "model.layers.15.mlp.down_proj",
        "lm_head"));
    Optional<HfQuantization> parsed = HfQuantConfigParser.parse(Map.of("quantization_config", block), null,
        16,
        CheckpointTensors.none());

    assertThat(parsed.orElseThrow().config().mlpQuantizedLayers()).hasSize(14);
    assertThat(parsed.orElseThrow().config().attnQuantizedLayers()).doesNotContain(0);
    assertThat(ConfigAgreement.compare(loadConfig(c, "test.LlamaQuantConfig"), parsed, 16)).isEmpty();
  }

  // ---- -Ajquant.checkpoint reads the checkpoint with the declared names ----

  /** A config.json of 6 layers whose quantization_config is MiniLM's generated block with {@code ignore}. */
  private Path miniLmCheckpoint(List<String> ignore) throws IOException {
    Map<String, Object> block = new LinkedHashMap<>(
        generatedJson(TestSources.compile(miniLm()), MINILM_RESOURCE));
    block.put("ignore", ignore);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("num_hidden_layers", 6);
    config.put("quantization_config", block);
    Path file = dir.resolve("config.json");
    Files.writeString(file, JSON.std.asString(config));
    return file;
  }

  private static Compilation compileAgainst(Path checkpoint) {
    return Compiler.javac().withProcessors(new QuantizedProcessor())
        .withOptions("-Ajquant.checkpoint=" + checkpoint).compile(miniLm());
  }

  @Test
  void theCheckpointCheck_readsMiniLmsOwnList_asAgreeing() throws IOException {
    // Parent modules ignore what is below them: layer 0's attention, layer 4's two MLP projections.
    Path checkpoint = miniLmCheckpoint(List.of("encoder.layer.0.attention", "encoder.layer.4.intermediate",
        "encoder.layer.4.output", "encoder.layer.5.intermediate.dense", "encoder.layer.5.output.dense",
        "lm_head"));

    assertThat(compileAgainst(checkpoint)).succeededWithoutWarnings();
  }

  @Test
  void theCheckpointCheck_namesTheMiniLmLayerTheCheckpointLeavesQuantized() throws IOException {
    Path checkpoint = miniLmCheckpoint(List.of("encoder.layer.0.attention", "encoder.layer.4.intermediate",
        "encoder.layer.4.output", "lm_head"));

    Compilation c = compileAgainst(checkpoint);

    assertThat(errorMessages(c)).containsExactly("[jquant:Checkpoint.Disagreement] layer 5 MLP: declared not"
        + " quantized, but config.json: quantization_config says quantized (INT8_W8A8) (checkpoint: "
        + checkpoint + ")");
  }
}
