package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.DType;
import io.jquant.config.QuantConfig;
import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The parser's tensor look-ups (scale dtype, embedding dtype, fused MLP) by the model's module names: a
 * MiniLM-like checkpoint, with its own names, has no embed_tokens, lm_head or down_proj tensor.
 */
class StateDictModuleNamesTest {
  private static final ModuleNames MINI_LM = new ModuleNames("encoder.layer.{layer}",
      List.of("intermediate.dense", "output.dense"),
      List.of("attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense"));

  /** compressed-tensors FP8 per channel, dynamic per-token inputs, lm_head ignored (as jquant writes it). */
  private static final String CT_FP8 = "{\"quantization_config\": {\"quant_method\": \"compressed-tensors\","
      + " \"ignore\": [\"lm_head\"], \"config_groups\": {\"group_0\": {\"targets\": [\"Linear\"],"
      + " \"weights\": {\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"channel\", \"dynamic\": false},"
      + " \"input_activations\": {\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"token\","
      + " \"dynamic\": true}}}}}";

  /**
   * Layer 0 of a MiniLM: its word embeddings in F32; the intermediate's weight scale F32 and the output's
   * BF16, so the look-up by name (the last MLP projection, as MAX's down_proj) differs from the first found.
   */
  private static CheckpointTensors miniLm() {
    return CheckpointTensors.of(List.of(
        TensorInfo.of("embeddings.word_embeddings.weight", StorageDType.F32, 32, 16),
        TensorInfo.of("embeddings.LayerNorm.weight", StorageDType.F32, 16),
        TensorInfo.of("encoder.layer.0.intermediate.dense.weight", StorageDType.F8_E4M3, 64, 16),
        TensorInfo.of("encoder.layer.0.intermediate.dense.weight_scale", StorageDType.F32, 64, 1),
        TensorInfo.of("encoder.layer.0.output.dense.weight", StorageDType.F8_E4M3, 16, 64),
        TensorInfo.of("encoder.layer.0.output.dense.weight_scale", StorageDType.BF16, 16, 1)));
  }

  private static Map<String, Object> config(String json) {
    return HfQuantConfigParser.readJson("config.json", json);
  }

  @Test
  void aMiniLmCheckpointIsReadByItsOwnNames() {
    QuantConfig config = HfQuantConfigParser.parse(config(CT_FP8), null, 1, miniLm(), MINI_LM)
        .orElseThrow().config();
    assertEquals(DType.FLOAT32, config.embeddingOutputDtype());
    assertEquals(DType.BFLOAT16, config.weightScale().dtype());
    assertEquals(Set.of(0), config.mlpQuantizedLayers());
    assertEquals(Set.of(0), config.attnQuantizedLayers());
  }

  @Test
  void withLlamaNamesTheSameTensorsHaveNoEmbeddingDtype() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HfQuantConfigParser.parse(config(CT_FP8), null, 1, miniLm(), ModuleNames.llama()));
    assertEquals("config.json: quantization_config: cannot determine original type from checkpoint: lm_head"
        + " is ignored, but neither embed_tokens.weight nor lm_head.weight is in the checkpoint",
        e.getMessage());
  }

  @Test
  void theFusedMlpCheckPairsTheModelsGateAndUpProjections() {
    ModuleNames names = new ModuleNames("transformer.h.{layer}",
        List.of("mlp.gate_fc", "mlp.up_fc", "mlp.down_fc"), List.of("attn.qkv", "attn.out"));
    String p = "transformer.h.0.mlp.";
    CheckpointTensors tensors = CheckpointTensors.of(List.of(
        TensorInfo.of("transformer.wte.weight", StorageDType.BF16, 32, 16),
        TensorInfo.of(p + "gate_fc.weight", StorageDType.U8, 64, 8),
        TensorInfo.of(p + "gate_fc.input_scale", StorageDType.F32),
        TensorInfo.of(p + "up_fc.weight", StorageDType.U8, 64, 8),
        TensorInfo.of(p + "up_fc.input_scale", StorageDType.F32)),
        Map.of(p + "gate_fc.input_scale", 1.0, p + "up_fc.input_scale", 2.0));
    String modelopt = "{\"quantization_config\": {\"quant_method\": \"modelopt\","
        + " \"quant_algo\": \"NVFP4\"}}";
    assertFalse(HfQuantConfigParser.parse(config(modelopt), null, 1, tensors, names).orElseThrow().config()
        .canUseFusedMlp(), "gate and up input scales differ");
    assertTrue(HfQuantConfigParser.parse(config(modelopt), null, 1, tensors, ModuleNames.llama())
        .orElseThrow().config().canUseFusedMlp(), "Llama's names find no gate_proj to compare");
  }
}
