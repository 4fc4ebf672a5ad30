package io.jquant.config.hf;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.DType.FLOAT8_E8M0FNU;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static io.jquant.annotations.ScaleOrigin.STATIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each fixture under {@code hf/} parsed to the QuantConfig MAX's parser builds (with jquant's choices). */
class HfQuantConfigParserTest {
  static Path fixture(String name) {
    try {
      return Path.of(HfQuantConfigParserTest.class.getResource("/hf/" + name + "/config.json").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Parses the fixture with the tensors a checkpoint quantized as {@code expected} holds; checks all fields.
   */
  private static HfQuantization check(String name, QuantConfig expected, CheckpointFormat format,
      String source) {
    HfQuantization q = HfQuantConfigParser.parse(fixture(name), FakeCheckpoint.of(expected, 4, true))
        .orElseThrow();
    assertEquals(expected.toJson(), q.config().toJson());
    assertEquals(expected, q.config());
    assertEquals(format, q.format());
    assertEquals(source, q.source());
    return q;
  }

  private static QuantConfig.Builder nvfp4(int... attn) {
    return QuantConfig.builder(QuantFormat.NVFP4)
        .inputScale(InputScaleSpec.block(STATIC, FLOAT32, 1, 16))
        .weightScale(WeightScaleSpec.block(FLOAT8_E4M3FN, 1, 16))
        .embeddingOutputDtype(BFLOAT16)
        .canUseFusedMlp(true);
  }

  @Test
  void modeloptStandaloneFileHonoursItsWildcardExclude() {
    // MAX would quantize all layers; "model.layers.3.self_attn*" keeps layer 3's attention in bf16.
    QuantConfig expected = nvfp4().mlpQuantizedLayers(0, 1, 2, 3).attnQuantizedLayers(0, 1, 2).build();
    HfQuantization q = check("modelopt_nvfp4_standalone", expected, CheckpointFormat.MODELOPT_NVFP4,
        "hf_quant_config.json: quantization");
    assertEquals(List.of("lm_head", "model.layers.3.self_attn*"), q.ignore().entries());
  }

  @Test
  void configJsonWinsOverHfQuantConfigAndTextConfigGivesTheLayers() {
    // hf_quant_config.json excludes every layer; config.json's quantization_config (layer 0 MLP only) wins.
    QuantConfig expected = nvfp4().mlpQuantizedLayers(1, 2, 3).attnQuantizedLayers(0, 1, 2, 3).build();
    check("modelopt_nvfp4_config", expected, CheckpointFormat.MODELOPT_NVFP4,
        "config.json: quantization_config");
  }

  @Test
  void compressedTensorsFp8DynamicWithRegexIgnore() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN)) // no input_scale: the model dtype
        .weightScale(new WeightScaleSpec(ROWWISE, BFLOAT16))
        .mlpQuantizedLayers(1, 2, 3).attnQuantizedLayers(0, 1, 2, 3)
        .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build();
    check("ct_fp8_dynamic", expected, CheckpointFormat.COMPRESSED_TENSORS_FP8,
        "config.json: quantization_config");
  }

  @Test
  void compressedTensorsFp8StaticTakesTheScaleTensorsDtypes() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(TENSOR, STATIC, FLOAT32))
        .weightScale(new WeightScaleSpec(TENSOR, FLOAT32))
        .allLayers(4).embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).biasDtype(BFLOAT16).build();
    check("ct_fp8_static", expected, CheckpointFormat.COMPRESSED_TENSORS_FP8,
        "config.json: quantization_config");
  }

  @Test
  void compressedTensorsFp8StaticWithUnequalGateUpScalarsIsNotFused() {
    QuantConfig fused = QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
        .inputScale(new InputScaleSpec(TENSOR, STATIC, FLOAT32))
        .weightScale(new WeightScaleSpec(TENSOR, FLOAT32))
        .allLayers(4).embeddingOutputDtype(BFLOAT16).build();
    QuantConfig parsed = HfQuantConfigParser
        .parse(fixture("ct_fp8_static"), FakeCheckpoint.of(fused, 4, false))
        .orElseThrow().config();
    assertEquals(fused, parsed);
  }

  @Test
  void compressedTensorsInt8WithFnmatchClass() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.INT8_W8A8)
        .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT32))
        .weightScale(new WeightScaleSpec(ROWWISE, BFLOAT16))
        .mlpQuantizedLayers(0, 1, 2, 3).embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build();
    check("ct_int8", expected, CheckpointFormat.COMPRESSED_TENSORS_INT8, "config.json: quantization_config");
  }

  @Test
  void compressedTensorsNvfp4LocalDynamicIsModeloptsStaticInputScale() {
    QuantConfig expected = nvfp4().allLayers(4).build();
    check("ct_nvfp4", expected, CheckpointFormat.COMPRESSED_TENSORS_NVFP4,
        "config.json: quantization_config");
  }

  @Test
  void compressedTensorsFp8Block() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8)
        .inputScale(InputScaleSpec.block(DYNAMIC, BFLOAT16, 1, 128))
        .weightScale(WeightScaleSpec.block(BFLOAT16, 128, 128))
        .allLayers(4).embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build();
    check("ct_fp8_block", expected, CheckpointFormat.COMPRESSED_TENSORS_FP8_BLOCK,
        "config.json: quantization_config");
  }

  @Test
  void fbgemmFp8() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN, 1200.0, null))
        .weightScale(new WeightScaleSpec(ROWWISE, FLOAT32))
        .mlpQuantizedLayers(0, 1, 2, 3).attnQuantizedLayers(0, 2, 3)
        .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build();
    check("fbgemm", expected, CheckpointFormat.FBGEMM_FP8, "config.json: quantization_config");
  }

  @Test
  void tensorwiseFp8IsFiledAsFbgemmWithTheWeightScaleDtypeForBoth() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.FBGEMM_FP8)
        .inputScale(new InputScaleSpec(TENSOR, STATIC, FLOAT32))
        .weightScale(new WeightScaleSpec(TENSOR, FLOAT32))
        .allLayers(4).embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build();
    check("fp8_tensorwise", expected, CheckpointFormat.FP8_TENSORWISE, "config.json: quantization_config");
  }

  @Test
  void blockFp8HonoursAnExcludedParentModule() {
    // MAX ignores modules_to_not_convert here; "model.layers.3.mlp" keeps layer 3's MLP out.
    QuantConfig expected = QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 128))
        .weightScale(WeightScaleSpec.block(FLOAT32, 128, 128))
        .mlpQuantizedLayers(0, 1, 2).attnQuantizedLayers(0, 1, 2, 3)
        .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build();
    check("fp8_block", expected, CheckpointFormat.FP8_BLOCK, "config.json: quantization_config");
  }

  @Test
  void gptOssMxfp4() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.MXFP4)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 32))
        .weightScale(WeightScaleSpec.block(FLOAT8_E8M0FNU, 1, 32))
        .mlpQuantizedLayers(0, 1, 2, 3).embeddingOutputDtype(BFLOAT16).biasDtype(BFLOAT16).build();
    check("gpt_oss_mxfp4", expected, CheckpointFormat.GPT_OSS_MXFP4, "config.json: quantization_config");
  }

  @Test
  void quarkMxfp4() {
    QuantConfig expected = QuantConfig.builder(QuantFormat.MXFP4)
        .inputScale(InputScaleSpec.block(DYNAMIC, FLOAT32, 1, 32))
        .weightScale(WeightScaleSpec.block(FLOAT8_E8M0FNU, 1, 32))
        .mlpQuantizedLayers(0, 1, 2, 3).embeddingOutputDtype(BFLOAT16).build();
    check("quark_mxfp4", expected, CheckpointFormat.QUARK_MXFP4, "config.json: quantization_config");
  }

  @Test
  void unquantizedIsEmpty() {
    assertEquals(Optional.empty(),
        HfQuantConfigParser.parse(fixture("unquantized"), CheckpointTensors.none()));
  }

  @Test
  void weightScale2AloneMeansModeloptNvfp4() {
    QuantConfig expected = nvfp4().allLayers(4).build();
    HfQuantization q = HfQuantConfigParser.parse(fixture("unquantized"), FakeCheckpoint.of(expected, 4, true))
        .orElseThrow();
    assertEquals(expected, q.config());
    assertEquals("tensors", q.source());
  }

  @Test
  void withoutTensorsTheFormatDefaultsStandIn() {
    // No state dict: weight scale dtype float32, no embedding / bias dtype, MAX's empty loop allows fusion.
    QuantConfig q = HfQuantConfigParser.parse(fixture("fbgemm"), CheckpointTensors.none()).orElseThrow()
        .config();
    assertEquals(new WeightScaleSpec(ROWWISE, FLOAT32), q.weightScale());
    assertEquals(null, q.embeddingOutputDtype());
    assertTrue(q.canUseFusedMlp());
  }

  @Test
  void numHiddenLayersPrefersTextConfig() {
    assertEquals(7, HfQuantConfigParser.numHiddenLayers(
        java.util.Map.of("num_hidden_layers", 3, "text_config", java.util.Map.of("num_hidden_layers", 7))));
    assertEquals(3, HfQuantConfigParser.numHiddenLayers(java.util.Map.of("num_hidden_layers", 3)));
  }
}
