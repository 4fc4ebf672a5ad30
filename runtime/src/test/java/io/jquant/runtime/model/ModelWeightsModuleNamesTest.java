package io.jquant.runtime.model;

import static io.jquant.runtime.model.TestTensors.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.HfQuantConfigWriter;
import io.jquant.config.hf.ModuleNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening weights reads the checkpoint's ignore list with the layout's module names: a MiniLM checkpoint
 * whose layer 1 MLP is unquantized agrees with a MiniLM declaration, where Llama's projection names would
 * read every layer as quantized.
 */
class ModelWeightsModuleNamesTest {
  private static final ModuleNames MINILM = new ModuleNames("encoder.layer.{layer}",
      List.of("intermediate.dense", "output.dense"),
      List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense"));
  private static final QuantConfig DECLARED = QuantConfig.builder(QuantFormat.INT8_W8A8)
      .mlpQuantizedLayers(0).attnQuantizedLayers(0, 1).build();

  @TempDir
  Path dir;

  /** A 2-layer checkpoint whose config.json holds the writer's INT8 block with MiniLM's ignore list. */
  private Path miniLmCheckpoint() throws Exception {
    List<String> ignore = HfQuantConfigWriter.ignoreList(DECLARED, 2, MINILM);
    Map<String, Object> config = Map.of("num_hidden_layers", 2, "quantization_config",
        HfQuantConfigWriter.quantizationConfigBlock(DECLARED, ignore));
    // The parser takes the weight-scale dtype from a weight_scale tensor, and the embedding output dtype
    // from lm_head.weight when lm_head is ignored.
    return TestTensors.checkpoint(dir, List.of(f32("lm_head.weight", new float[4], 2, 2),
        f32("encoder.layer.0.intermediate.dense.weight_scale", new float[2], 2, 1)),
        HfQuantConfigWriter.toJson(config));
  }

  @Test
  void aMiniLmLayout_readsItsCheckpointsIgnoreList() throws Exception {
    Path checkpoint = miniLmCheckpoint();
    ModelLayout layout = new ModelLayout(2, MINILM);

    try (ModelWeights weights = ModelWeights.open(checkpoint, layout, DECLARED)) {
      assertEquals(DECLARED, weights.config().orElseThrow());
      assertEquals("encoder.layer.1.intermediate.dense", weights.layout().module(1, "intermediate.dense"));
    }
  }

  @Test
  void llamaProjectionNames_readTheSameCheckpointAsAllQuantized() throws Exception {
    Path checkpoint = miniLmCheckpoint();
    ModelLayout llamaNamed = new ModelLayout(2, "encoder.layer.{layer}");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelWeights.open(checkpoint, llamaNamed, DECLARED));

    assertEquals(checkpoint.resolve("model.safetensors") + ": the checkpoint's quantization disagrees with"
        + " the declaration:\n  layer 1 MLP: declared not quantized, but config.json: quantization_config"
        + " says quantized (INT8_W8A8)", e.getMessage());
  }

  @Test
  void aPrefixOnlyLayout_fallsBackToLlamaProjectionNames() {
    ModelLayout layout = new ModelLayout(6, "encoder.layer.{layer}");

    assertEquals(new ModuleNames("encoder.layer.{layer}", ModuleNames.llama().mlp(),
        ModuleNames.llama().attention()), layout.moduleNames());
    assertEquals("encoder.layer.{layer}", layout.checkpointPrefix());
  }
}
