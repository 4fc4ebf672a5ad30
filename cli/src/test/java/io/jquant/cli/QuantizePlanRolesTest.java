package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.config.hf.ConfigAgreement;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jquant quantize} keeps each layer's MLP and attention whole: one projection that cannot be quantized
 * keeps its whole role float, on the ignore list, with a warning; and jquant's parser reads the export back
 * to the layer sets the plan wrote.
 */
class QuantizePlanRolesTest {
  private static final String WHOLE = "(MLP and attention are quantized all or nothing per layer)";

  @TempDir
  Path tmp;

  /** Two Llama layers, hidden 64; layer 0's MLP is 40 wide (down_proj K = 40), layer 1's 96. */
  private Path llamaWithNarrowMlp() throws IOException {
    List<StoredTensor> tensors = new ArrayList<>();
    tensors.add(Fixtures.bf16("model.embed_tokens.weight", 32, 64));
    for (int i = 0; i < 2; i++) {
      String p = "model.layers." + i + ".";
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
        tensors.add(Fixtures.bf16(p + "self_attn." + proj + ".weight", 64, 64));
      }
      int width = i == 0 ? 40 : 96;
      tensors.add(Fixtures.bf16(p + "mlp.gate_proj.weight", width, 64));
      tensors.add(Fixtures.bf16(p + "mlp.up_proj.weight", width, 64));
      tensors.add(Fixtures.bf16(p + "mlp.down_proj.weight", 64, width));
    }
    tensors.add(Fixtures.bf16("lm_head.weight", 32, 64));
    return Fixtures.write(tmp.resolve("llama"), tensors);
  }

  /** Two BERT (MiniLM-like) layers, hidden 64, intermediate 40: output.dense has K = 40. */
  private Path bert() throws IOException {
    List<StoredTensor> tensors = new ArrayList<>();
    tensors.add(Fixtures.bf16("embeddings.word_embeddings.weight", 32, 64));
    tensors.add(Fixtures.bf16("embeddings.LayerNorm.weight", 64));
    for (int i = 0; i < 2; i++) {
      String p = "encoder.layer." + i + ".";
      for (String proj : List.of("self.query", "self.key", "self.value", "output.dense")) {
        tensors.add(Fixtures.bf16(p + "attention." + proj + ".weight", 64, 64));
        tensors.add(Fixtures.bf16(p + "attention." + proj + ".bias", 64));
      }
      tensors.add(Fixtures.bf16(p + "intermediate.dense.weight", 40, 64));
      tensors.add(Fixtures.bf16(p + "output.dense.weight", 64, 40));
    }
    tensors.add(Fixtures.bf16("pooler.dense.weight", 64, 64));
    return Fixtures.write(tmp.resolve("bert"), tensors);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = { "mxfp4", "mxfp8" })
  void aDownProjOffTheBlockKeepsItsLayersWholeMlpFloat(String option) throws IOException {
    Path in = llamaWithNarrowMlp();
    Path out = tmp.resolve("out");

    Fixtures.Run run = Fixtures.run("quantize", "--format", option, in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("warning: model.layers.0.mlp: down_proj has K = 40, not a multiple of " + option
        + "'s block of 32; the layer's whole MLP stays float " + WHOLE), warnings(run));
    String stays = "(the layer's MLP stays float: down_proj has K = 40, not a multiple of " + option
        + "'s block of 32)";
    assertEquals(List.of("not quantized: lm_head.weight (not an attention or MLP projection)",
        "not quantized: model.embed_tokens.weight (not an attention or MLP projection)",
        "not quantized: model.layers.0.mlp.down_proj.weight (K = 40 is not a multiple of " + option
            + "'s block of 32)",
        "not quantized: model.layers.0.mlp.gate_proj.weight " + stays,
        "not quantized: model.layers.0.mlp.up_proj.weight " + stays), skips(run));
    assertEquals(List.of("lm_head", "model.layers.0.mlp.down_proj", "model.layers.0.mlp.gate_proj",
        "model.layers.0.mlp.up_proj"), plan(in, List.of(), option).ignore());
    assertReadsBack(in, out, option, List.of(), ModuleNames.llama(), Set.of(1), Set.of(0, 1));
  }

  /**
   * NVFP4 (block 16) the same, planned without calibration (the command needs it): K = 40 keeps layer 0's MLP
   * float, and modelopt's subtree glob of the whole role follows the exact names.
   */
  @Test
  void nvfp4KeepsTheMlpWholeAndAddsItsSubtreeGlob() throws IOException {
    QuantizePlan plan = plan(llamaWithNarrowMlp(), List.of(), "nvfp4");

    assertEquals(List.of("model.layers.0.mlp: down_proj has K = 40, not a multiple of nvfp4's block of 16;"
        + " the layer's whole MLP stays float " + WHOLE), plan.warnings());
    assertEquals(List.of("lm_head", "model.layers.0.mlp.down_proj", "model.layers.0.mlp.gate_proj",
        "model.layers.0.mlp.up_proj", "model.layers.0.mlp*"), plan.ignore());
    assertEquals(Set.of(1), plan.mlpLayers());
    assertEquals(Set.of(0, 1), plan.attnLayers());
    assertEquals(11, plan.quantized().size());
  }

  @Test
  void excludingOneProjectionKeepsItsLayersWholeMlpFloat() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    List<String> exclude = List.of("--exclude", "model.layers.1.mlp.down_proj");

    Fixtures.Run run = Fixtures.run("quantize", "--format", "mxfp4", exclude.get(0), exclude.get(1),
        in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("warning: model.layers.1.mlp: down_proj is excluded by --exclude; the layer's whole"
        + " MLP stays float " + WHOLE), warnings(run));
    assertEquals(List.of("lm_head", "model.layers.1.mlp.down_proj", "model.layers.1.mlp.gate_proj",
        "model.layers.1.mlp.up_proj"), plan(in, exclude, "mxfp4").ignore());
    assertReadsBack(in, out, "mxfp4", exclude, ModuleNames.llama(), Set.of(0), Set.of(0, 1));
  }

  @Test
  void excludingAWholeRoleIsNoWarning() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));

    Fixtures.Run run = Fixtures.run("quantize", "--format", "mxfp4", "--exclude", "model.layers.0.self_attn",
        in.toString(), tmp.resolve("out").toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of(), warnings(run));
    QuantizePlan plan = plan(in, List.of("--exclude", "model.layers.0.self_attn"), "mxfp4");
    assertEquals(Set.of(0, 1), plan.mlpLayers());
    assertEquals(Set.of(1), plan.attnLayers());
  }

  @Test
  void aBertCheckpointKeepsItsRolesWholeUnderItsOwnNames() throws IOException {
    Path in = bert();
    Path out = tmp.resolve("out");
    List<String> exclude = List.of("--exclude", "encoder.layer.1.attention.self.key");

    Fixtures.Run run = Fixtures.run("quantize", "--format", "mxfp8", exclude.get(0), exclude.get(1),
        in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    String offBlock = "output.dense has K = 40, not a multiple of mxfp8's block of 32; the layer's whole MLP"
        + " stays float " + WHOLE;
    assertEquals(List.of("warning: encoder.layer.0: " + offBlock, "warning: encoder.layer.1: " + offBlock,
        "warning: encoder.layer.1.attention: self.key is excluded by --exclude; the layer's whole attention"
            + " stays float " + WHOLE),
        warnings(run));
    assertEquals(List.of("encoder.layer.0.intermediate.dense", "encoder.layer.0.output.dense",
        "encoder.layer.1.attention.output.dense", "encoder.layer.1.attention.self.key",
        "encoder.layer.1.attention.self.query", "encoder.layer.1.attention.self.value",
        "encoder.layer.1.intermediate.dense", "encoder.layer.1.output.dense", "pooler.dense"),
        plan(in, exclude, "mxfp8").ignore());
    assertReadsBack(in, out, "mxfp8", exclude, CheckpointModuleNames.BERT, Set.of(), Set.of(0));
  }

  @Test
  void theNamesComeFromTheCheckpointsTensorsUnderTheirOuterPrefix() {
    List<String> bert = List.of("bert.embeddings.word_embeddings.weight",
        "bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.3.output.dense.weight",
        "cls.predictions.transform.dense.weight");
    CheckpointModuleNames found = CheckpointModuleNames.of(bert, name -> Path.of("model.safetensors"))
        .orElseThrow();
    assertEquals("bert.encoder.layer.{layer}", found.names().checkpointPrefix());
    assertEquals(CheckpointModuleNames.BERT.mlp(), found.names().mlp());
    assertEquals(4, found.layerCount());

    List<String> phi3 = List.of("model.layers.0.self_attn.qkv_proj.weight",
        "model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.gate_up_proj.weight",
        "model.layers.0.mlp.down_proj.weight");
    assertEquals(CheckpointModuleNames.FUSED,
        CheckpointModuleNames.of(phi3, name -> Path.of("x")).orElseThrow().names());
    assertEquals(Optional.empty(), CheckpointModuleNames.of(List.of("transformer.h.0.attn.c_attn.weight"),
        name -> Path.of("x")));
  }

  /**
   * The export parses back, with {@code names}, to {@code mlp} and {@code attn}, which are the plan's sets,
   * and ConfigAgreement finds nothing between the config the command wrote and the one parsed back.
   */
  private void assertReadsBack(Path in, Path out, String option, List<String> exclude, ModuleNames names,
      Set<Integer> mlp, Set<Integer> attn) throws IOException {
    QuantizePlan plan = plan(in, exclude, option);
    assertEquals(mlp, plan.mlpLayers());
    assertEquals(attn, plan.attnLayers());
    try (Checkpoint output = Checkpoint.open(out)) {
      HfQuantization parsed = HfQuantConfigParser.parse(out, 2, TensorViews.checkpointTensors(
          output.tensorNames().stream().map(output::tensor).toList()), names).orElseThrow();
      assertEquals(mlp, parsed.config().mlpQuantizedLayers());
      assertEquals(attn, parsed.config().attnQuantizedLayers());
      FormatPreset preset = FormatPreset.ofOption(option);
      assertEquals(List.of(), ConfigAgreement.compare(preset.config(plan.mlpLayers(), plan.attnLayers()),
          Optional.of(parsed), 2));
    }
  }

  private static QuantizePlan plan(Path in, List<String> exclude, String option) throws IOException {
    List<String> patterns = new ArrayList<>();
    for (int i = 1; i < exclude.size(); i += 2) {
      patterns.add(exclude.get(i));
    }
    try (Checkpoint checkpoint = Checkpoint.open(in)) {
      return QuantizePlan.of(checkpoint, TensorSelection.excluding(patterns), FormatPreset.ofOption(option));
    }
  }

  private static List<String> warnings(Fixtures.Run run) {
    // The engines' readings (EngineWarnings) are QuantizeEngineWarningsTest's.
    return run.err().lines().filter(l -> l.startsWith("warning: ") && !l.contains(" [Serving.")).toList();
  }

  private static List<String> skips(Fixtures.Run run) {
    return run.out().lines().filter(l -> l.startsWith("not quantized: ")).toList();
  }
}
