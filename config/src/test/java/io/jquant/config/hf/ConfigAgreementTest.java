package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.Role;
import io.jquant.annotations.ScaleOrigin;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.tensor.StorageDType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Declared configs against what real Hugging Face quantization configs say, through the parser. */
class ConfigAgreementTest {
  private static final int LAYERS = 4;
  private static final String SOURCE = "config.json: quantization_config";

  private static Optional<HfQuantization> checkpoint(String quantizationConfigJson) {
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json",
        "{\"num_hidden_layers\": " + LAYERS + ", \"quantization_config\": " + quantizationConfigJson + "}");
    return HfQuantConfigParser.parse(config, null, LAYERS, CheckpointTensors.none());
  }

  private static final String NVFP4_LAYER0_MLP_IGNORED = "{\"quant_method\": \"modelopt\", \"quant_algo\":"
      + " \"NVFP4\","
      + " \"ignore\": [\"lm_head\", \"model.layers.0.mlp*\"]}";

  private static QuantConfig.Builder nvfp4() {
    return QuantConfig.builder(QuantFormat.NVFP4).embeddingOutputDtype(DType.BFLOAT16);
  }

  @Test
  void agreeingDeclarationHasNoDisagreement() {
    QuantConfig declared = nvfp4().mlpQuantizedLayers(1, 2, 3).attnQuantizedLayers(0, 1, 2, 3).build();
    assertEquals(List.of(), ConfigAgreement.compare(declared, checkpoint(NVFP4_LAYER0_MLP_IGNORED), LAYERS));
  }

  @Test
  void floatCheckpointAgreesWithAnyDeclaration() {
    QuantConfig declared = nvfp4().allLayers(LAYERS).build();
    assertEquals(List.of(), ConfigAgreement.compare(declared, Optional.empty(), LAYERS));
    assertEquals(List.of(), ConfigAgreement.compare(null, Optional.empty(), LAYERS));
  }

  @Test
  void layerSetsDifferLayerByLayerNamingBothSides() {
    QuantConfig declared = nvfp4().mlpQuantizedLayers(0, 1, 2, 3).attnQuantizedLayers(1, 2, 3).build();
    List<ConfigAgreement.Disagreement> found = ConfigAgreement.compare(declared,
        checkpoint(NVFP4_LAYER0_MLP_IGNORED), LAYERS);
    assertEquals(List.of(
        new ConfigAgreement.Disagreement("mlp_quantized_layers", Role.MLP, 0, "quantized (NVFP4)",
            "not quantized",
            SOURCE),
        new ConfigAgreement.Disagreement("attn_quantized_layers", Role.ATTENTION, 0, "not quantized",
            "quantized (NVFP4)", SOURCE)),
        found);
    assertEquals(
        "layer 0 MLP: declared quantized (NVFP4), but config.json: quantization_config says not quantized",
        found.get(0).message());
    assertEquals(
        "layer 0 attention: declared not quantized, but config.json: quantization_config says quantized"
            + " (NVFP4)",
        found.get(1).message());
  }

  @Test
  void differentFormatIsTheOnlyDisagreementReported() {
    QuantConfig declared = QuantConfig.builder(QuantFormat.MXFP4).mlpQuantizedLayers(0).build();
    List<ConfigAgreement.Disagreement> found = ConfigAgreement.compare(declared,
        checkpoint(NVFP4_LAYER0_MLP_IGNORED), LAYERS);
    assertEquals(1, found.size());
    assertEquals("format: declared MXFP4, but config.json: quantization_config says NVFP4",
        found.get(0).message());
  }

  @Test
  void unquantizedRunOfAQuantizedCheckpointDisagrees() {
    assertEquals("format: declared not quantized, but config.json: quantization_config says NVFP4",
        ConfigAgreement.compare(null, checkpoint(NVFP4_LAYER0_MLP_IGNORED), LAYERS).get(0).message());
  }

  @Test
  void scaleSpecsAreComparedWhole() {
    QuantConfig declared = nvfp4().allLayers(LAYERS)
        .inputScale(InputScaleSpec.block(ScaleOrigin.DYNAMIC, DType.FLOAT32, 1, 16))
        .mlpQuantizedLayers(1, 2, 3)
        .build();
    List<ConfigAgreement.Disagreement> found = ConfigAgreement.compare(declared,
        checkpoint(NVFP4_LAYER0_MLP_IGNORED), LAYERS);
    assertEquals(
        "input_scale: declared BLOCK DYNAMIC float32 (1, 16), but config.json: quantization_config says"
            + " BLOCK STATIC float32 (1, 16)",
        found.get(0).message());
    assertEquals(1, found.size());
  }

  @Test
  void dtypesAreComparedOnlyWhereBothSidesStateOne() {
    QuantConfig float32Embeddings = nvfp4().embeddingOutputDtype(DType.FLOAT32).mlpQuantizedLayers(1, 2, 3)
        .attnQuantizedLayers(0, 1, 2, 3).build();
    assertEquals(
        "embedding_output_dtype: declared float32, but config.json: quantization_config says bfloat16",
        ConfigAgreement.compare(float32Embeddings, checkpoint(NVFP4_LAYER0_MLP_IGNORED), LAYERS).get(0)
            .message());
    QuantConfig unset = QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(1, 2, 3)
        .attnQuantizedLayers(0, 1, 2, 3).biasDtype(DType.BFLOAT16).build();
    assertEquals(List.of(), ConfigAgreement.compare(unset, checkpoint(NVFP4_LAYER0_MLP_IGNORED), LAYERS));
  }

  @Test
  void declaredFusedMlpNeedsTheCheckpointToAllowIt() {
    // MAX fuses NVFP4 gate and up only when their per-tensor weight_scale_2 are equal; here they differ.
    String gate = "model.layers.0.mlp.gate_proj.weight_scale_2";
    String up = "model.layers.0.mlp.up_proj.weight_scale_2";
    CheckpointTensors tensors = CheckpointTensors.of(
        List.of(TensorInfo.of(gate, StorageDType.F32), TensorInfo.of(up, StorageDType.F32)),
        Map.of(gate, 0.5, up, 0.25));
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json",
        "{\"num_hidden_layers\": " + LAYERS
            + ", \"quantization_config\": " + NVFP4_LAYER0_MLP_IGNORED + "}");
    Optional<HfQuantization> stored = HfQuantConfigParser.parse(config, null, LAYERS, tensors);
    QuantConfig fused = nvfp4().mlpQuantizedLayers(1, 2, 3).attnQuantizedLayers(0, 1, 2, 3)
        .canUseFusedMlp(true)
        .build();
    assertEquals(
        List.of(new ConfigAgreement.Disagreement("can_use_fused_mlp", null, -1, "true", "false", SOURCE)),
        ConfigAgreement.compare(fused, stored, LAYERS));
    QuantConfig separate = fused.toBuilder().canUseFusedMlp(false).build();
    assertEquals(List.of(), ConfigAgreement.compare(separate, stored, LAYERS));
  }
}
