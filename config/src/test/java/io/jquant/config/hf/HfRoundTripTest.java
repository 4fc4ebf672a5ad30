package io.jquant.config.hf;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Declaration → ServingConfig's quantization_config (and hf_quant_config.json) → parser gives back the same
 * QuantConfig, for every format, when the checkpoint's tensors carry the declared dtypes.
 */
class HfRoundTripTest {
  private static final int LAYERS = 4;

  static Stream<QuantConfig> declarations() {
    return Stream.of(
        QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(0, 1, 2, 3).attnQuantizedLayers(1, 2)
            .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.NVFP4).inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 16))
            .allLayers(LAYERS).embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
            .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN))
            .weightScale(new WeightScaleSpec(ROWWISE, BFLOAT16))
            .mlpQuantizedLayers(1, 2).attnQuantizedLayers(0, 1, 2, 3).embeddingOutputDtype(BFLOAT16)
            .biasDtype(BFLOAT16).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
            .inputScale(new InputScaleSpec(TENSOR, STATIC, FLOAT32))
            .weightScale(new WeightScaleSpec(TENSOR, FLOAT32))
            .allLayers(LAYERS).embeddingOutputDtype(BFLOAT16).build(), // unequal gate/up scalars: no fusion
        QuantConfig.builder(QuantFormat.INT8_W8A8).attnQuantizedLayers(0, 3).mlpQuantizedLayers(0, 1, 2, 3)
            .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.MXFP8).allLayers(LAYERS).embeddingOutputDtype(BFLOAT16)
            .canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.FBGEMM_FP8).mlpQuantizedLayers(0, 1, 2, 3).attnQuantizedLayers(2, 3)
            .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.FBGEMM_FP8)
            .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, 600.0, null))
            .allLayers(LAYERS).embeddingOutputDtype(FLOAT8_E4M3FN).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.FBGEMM_FP8) // tensor-wise fp8: one dtype for both scales, as MAX
            .inputScale(new InputScaleSpec(TENSOR, DYNAMIC, FLOAT32))
            .weightScale(new WeightScaleSpec(TENSOR, FLOAT32))
            .allLayers(LAYERS).embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8).mlpQuantizedLayers(0, 1)
            .attnQuantizedLayers(0, 1, 2, 3)
            .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build(),
        QuantConfig.builder(QuantFormat.MXFP4).mlpQuantizedLayers(0, 1, 2, 3).embeddingOutputDtype(BFLOAT16)
            .build());
  }

  @Test
  void everyFormatIsCovered() {
    Set<QuantFormat> covered = EnumSet.noneOf(QuantFormat.class);
    declarations().forEach(c -> covered.add(c.format()));
    assertEquals(EnumSet.allOf(QuantFormat.class), covered);
  }

  @ParameterizedTest
  @MethodSource("declarations")
  void quantizationConfigBlockParsesBack(QuantConfig declared) {
    List<String> ignore = HfQuantConfigWriter.ignoreList(declared, LAYERS);
    Map<String, Object> block = HfQuantConfigWriter.quantizationConfigBlock(declared, ignore);
    // Through text, as a file on disk would be.
    Map<String, Object> base = new LinkedHashMap<>(Map.of("num_hidden_layers", LAYERS));
    String configJson = HfQuantConfigWriter.updatedConfigJson(HfQuantConfigWriter.toJson(base), block);
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json", configJson);
    CheckpointTensors tensors = FakeCheckpoint.of(declared, LAYERS, declared.canUseFusedMlp());
    QuantConfig parsed = HfQuantConfigParser.parseConfig(config, null, LAYERS, tensors).orElseThrow();
    assertEquals(declared.toJson(), parsed.toJson());
  }

  @Test
  void hfQuantConfigJsonAloneParsesBack() {
    QuantConfig declared = declarations().findFirst().orElseThrow();
    List<String> ignore = HfQuantConfigWriter.ignoreList(declared, LAYERS);
    Map<String, Object> hf = HfQuantConfigParser.readJson("hf_quant_config.json",
        HfQuantConfigWriter.toJson(HfQuantConfigWriter.hfQuantConfig(declared, ignore)));
    QuantConfig parsed = HfQuantConfigParser.parseConfig(Map.of("num_hidden_layers", LAYERS), hf, LAYERS,
        FakeCheckpoint.of(declared, LAYERS, true)).orElseThrow();
    assertEquals(declared, parsed);
  }

  @Test
  void ignoreListNamesEveryProjectionOfUnquantizedLayers() {
    QuantConfig c = QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(1).attnQuantizedLayers(0, 1)
        .build();
    assertEquals(
        List.of("model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj", "model.layers.0.mlp.down_proj",
            "lm_head", "model.layers.0.mlp*"), // NVFP4 (modelopt): also the subtree glob MAX honours
        HfQuantConfigWriter.ignoreList(c, 2));
  }

  @Test
  void updatedConfigJsonKeepsKeyOrderAndReplacesInPlace() {
    String original = "{\"architectures\": [\"LlamaForCausalLM\"], \"quantization_config\":"
        + " {\"quant_method\": \"x\"},"
        + " \"rms_norm_eps\": 1e-05, \"rope_theta\": 500000.0, \"tie\": false, \"name\": \"caf\u00e9\","
        + " \"empty\": {}}";
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("quant_method", "fbgemm_fp8");
    block.put("activation_scale_ub", 1200.0);
    block.put("modules_to_not_convert", List.of("lm_head"));
    assertEquals("""
        {
          "architectures": [
            "LlamaForCausalLM"
          ],
          "quantization_config": {
            "quant_method": "fbgemm_fp8",
            "activation_scale_ub": 1200.0,
            "modules_to_not_convert": [
              "lm_head"
            ]
          },
          "rms_norm_eps": 1e-05,
          "rope_theta": 500000.0,
          "tie": false,
          "name": "caf\\u00e9",
          "empty": {}
        }
        """, HfQuantConfigWriter.updatedConfigJson(original, block));
  }
}
