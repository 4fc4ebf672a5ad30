package io.jquant.samples.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.QuantConfig;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.config.hf.HfQuantization;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.CheckpointQuantizer;
import io.jquant.runtime.checkpoint.CheckpointWriter;
import io.jquant.runtime.kernel.KernelThreads;
import io.jquant.runtime.model.ModelWeights;
import io.jquant.runtime.quant.FormatPreset;
import io.jquant.runtime.quant.WeightQuantizer;
import io.jquant.runtime.tensor.TensorViews;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * stories260K quantized into a checkpoint as {@code jquant quantize} does it ({@link CheckpointQuantizer},
 * the config's {@code quantization_config} in config.json), then loaded from it: the loader reads the stored
 * tensors, and the model computes what the same format quantized on the fly computes.
 */
class LlamaQuantizedCheckpointTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = FormatPreset.class, names = { "FP8_BLOCK", "INT8" })
  void aQuantizedCheckpointRunsAsTheFormatOnTheFly(FormatPreset format) throws IOException {
    QuantConfig config = LlamaFormats.of(format).config();
    Path out = write(config);
    HfQuantization stored;
    try (Checkpoint checkpoint = Checkpoint.open(out)) {
      stored = HfQuantConfigParser.parse(out, LlamaQuantConfig.NUM_LAYERS, checkpointTensors(checkpoint))
          .orElseThrow();
    }
    // The checkpoint says what was written; opening it with that config passes the loader's agreement check.
    assertEquals(config.format(), stored.config().format());
    assertEquals(config.mlpQuantizedLayers(), stored.config().mlpQuantizedLayers());
    assertEquals(config.attnQuantizedLayers(), stored.config().attnQuantizedLayers());

    int[] prompt = StoriesFixture.REFERENCE.logitsPrompt();
    float[] fromCheckpoint;
    Agreement agreement;
    try (ModelWeights weights = LlamaWiring.open(out, stored.config())) {
      // Stored 8-bit (F8_E4M3 or I8), so the loader reads it instead of quantizing.
      assertEquals(8, weights.tensor("model.layers.0.mlp.down_proj.weight").dtype().bits(),
          "stored weight dtype");
      LlamaModel model = LlamaModel.load(weights, StoriesFixture.CONFIG);
      fromCheckpoint = model.logits(prompt, KernelThreads.single());
      agreement = Agreement.measure(model, StoriesFixture.REFERENCE, KernelThreads.single());
    }
    // MAX's block-FP8 parser reads embedding_output_dtype bfloat16 from such a config; the loader honours it,
    // so fp8-block from a checkpoint differs from LlamaFormats' config (unset) by the embedding rounding.
    System.out.println(format + " from a quantized checkpoint (embedding output "
        + stored.config().embeddingOutputDtype() + "): " + agreement.summary());
    try (ModelWeights weights = StoriesFixture.open(stored.config())) {
      float[] onTheFly = LlamaModel.load(weights, StoriesFixture.CONFIG).logits(prompt,
          KernelThreads.single());
      // The same quantizer wrote the bytes the on-the-fly path quantizes to: the same kernels, the same
      // logits.
      assertArrayEquals(onTheFly, fromCheckpoint);
    }
  }

  @ParameterizedTest
  @EnumSource(value = FormatPreset.class, names = { "INT8" })
  void aDeclarationThatDisagreesWithTheCheckpointIsRefusedBeforeLoading(FormatPreset format)
      throws IOException {
    QuantConfig config = LlamaFormats.of(format).config();
    Path out = write(config);
    QuantConfig allLayers = config.toBuilder().allLayers(LlamaQuantConfig.NUM_LAYERS).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LlamaWiring.open(out, allLayers).close());
    assertTrue(e.getMessage().contains("layer 0 attention: declared quantized"), e.getMessage());
    assertTrue(e.getMessage().contains("layer 4 attention: declared quantized"), e.getMessage());
  }

  /** What {@code jquant quantize} writes for {@code config}: the chosen layers' projections, config.json. */
  private Path write(QuantConfig config) throws IOException {
    Path out = dir.resolve("quantized");
    Set<String> quantize = new HashSet<>();
    for (int layer : config.mlpQuantizedLayers()) {
      for (String p : List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
        quantize.add(LlamaWiring.LAYOUT.module(layer, p) + ".weight");
      }
    }
    for (int layer : config.attnQuantizedLayers()) {
      for (String p : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
          "self_attn.o_proj")) {
        quantize.add(LlamaWiring.LAYOUT.module(layer, p) + ".weight");
      }
    }
    try (Checkpoint input = Checkpoint.open(StoriesFixture.DIR);
        CheckpointWriter writer = CheckpointWriter.open(out, 1L << 30)) {
      CheckpointQuantizer.run(input, quantize, WeightQuantizer.forConfig(config), writer, 1, (t, q) -> {});
    }
    String original = Files.readString(StoriesFixture.DIR.resolve("config.json"));
    Files.writeString(out.resolve("config.json"), HfQuantConfigWriter.updatedConfigJson(original,
        HfQuantConfigWriter.quantizationConfigBlock(config,
            HfQuantConfigWriter.ignoreList(config, LlamaQuantConfig.NUM_LAYERS))));
    return out;
  }

  private static io.jquant.config.hf.CheckpointTensors checkpointTensors(Checkpoint checkpoint) {
    return TensorViews.checkpointTensors(
        checkpoint.tensorNames().stream().map(checkpoint::tensor).toList());
  }
}
