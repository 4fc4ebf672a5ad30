package io.jquant.config.hf;

import static io.jquant.annotations.DType.FLOAT32;
import static io.jquant.annotations.DType.FLOAT8_E4M3FN;
import static io.jquant.annotations.ScaleGranularity.COLWISE;
import static io.jquant.annotations.ScaleGranularity.ROWWISE;
import static io.jquant.annotations.ScaleGranularity.TENSOR;
import static io.jquant.annotations.ScaleOrigin.DYNAMIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.InputScaleSpec;
import io.jquant.config.QuantConfig;
import io.jquant.config.WeightScaleSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported {@code quantization_config} of every format, whole (docs/FORMATS.md §5.4): a two-layer Llama
 * whose layer 0 MLP stays float. Compared as parsed JSON trees, so key order and spacing do not matter but
 * every key and value does.
 */
class HfExportFormsTest {
  private static final int LAYERS = 2;
  private static final String EXACT = """
      "model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj", "model.layers.0.mlp.down_proj",
      "lm_head\"""";

  static Stream<Arguments> exports() {
    return Stream.of(
        Arguments.of(QuantConfig.builder(QuantFormat.NVFP4), """
            {"config_groups": {"group_0": {
               "input_activations": {"dynamic": false, "num_bits": 4, "type": "float", "group_size": 16},
               "weights": {"dynamic": false, "num_bits": 4, "type": "float", "group_size": 16},
               "targets": ["Linear"]}},
             "ignore": [%s, "model.layers.0.mlp*"],
             "quant_algo": "NVFP4", "kv_cache_scheme": null,
             "producer": {"name": "modelopt", "version": "jquant"}, "quant_method": "modelopt"}
            """.formatted(EXACT)),
        Arguments.of(QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
            .inputScale(new InputScaleSpec(TENSOR, DYNAMIC, FLOAT8_E4M3FN))
            .weightScale(new WeightScaleSpec(TENSOR, FLOAT32)),
            compressedTensors("float-quantized", fp8("tensor", false), fp8("tensor", true))),
        Arguments.of(QuantConfig.builder(QuantFormat.COMPRESSED_TENSORS_FP8)
            .inputScale(new InputScaleSpec(COLWISE, DYNAMIC, FLOAT8_E4M3FN))
            .weightScale(new WeightScaleSpec(ROWWISE, FLOAT32)),
            compressedTensors("float-quantized", fp8("channel", false), fp8("token", true))),
        Arguments.of(QuantConfig.builder(QuantFormat.INT8_W8A8), compressedTensors("int-quantized", """
            {"num_bits": 8, "type": "int", "symmetric": true, "strategy": "channel", "dynamic": false}""", """
            {"num_bits": 8, "type": "int", "symmetric": true, "strategy": "token", "dynamic": true}""")),
        Arguments.of(QuantConfig.builder(QuantFormat.MXFP8), compressedTensors("mxfp8-quantized", """
            {"num_bits": 8, "type": "float", "symmetric": true, "strategy": "group", "dynamic": false,
             "group_size": 32, "scale_dtype": "torch.uint8"}""", """
            {"num_bits": 8, "type": "float", "symmetric": true, "strategy": "group", "dynamic": true,
             "group_size": 32, "scale_dtype": "torch.uint8"}""")),
        Arguments.of(QuantConfig.builder(QuantFormat.MXFP4), compressedTensors("mxfp4-pack-quantized", """
            {"num_bits": 4, "type": "float", "symmetric": true, "strategy": "group", "dynamic": false,
             "group_size": 32, "scale_dtype": "torch.uint8"}""", """
            {"num_bits": 4, "type": "float", "symmetric": true, "strategy": "group", "dynamic": true,
             "group_size": 32, "scale_dtype": "torch.uint8"}""")),
        Arguments.of(QuantConfig.builder(QuantFormat.FBGEMM_FP8), """
            {"quant_method": "fbgemm_fp8", "activation_scale_ub": 1200.0, "modules_to_not_convert": [%s]}
            """.formatted(EXACT)),
        Arguments.of(QuantConfig.builder(QuantFormat.FBGEMM_FP8)
            .inputScale(new InputScaleSpec(TENSOR, DYNAMIC, FLOAT32))
            .weightScale(new WeightScaleSpec(TENSOR, FLOAT32)), """
                {"quant_method": "fp8", "activation_scheme": "dynamic", "modules_to_not_convert": [%s]}
                """.formatted(EXACT)),
        Arguments.of(QuantConfig.builder(QuantFormat.BLOCKSCALED_FP8), """
            {"quant_method": "fp8", "activation_scheme": "dynamic", "fmt": "e4m3",
             "weight_block_size": [128, 128], "modules_to_not_convert": [%s]}
            """.formatted(EXACT)));
  }

  private static String fp8(String strategy, boolean dynamic) {
    return """
        {"num_bits": 8, "type": "float", "symmetric": true, "strategy": "%s", "dynamic": %s}
        """.formatted(strategy, dynamic);
  }

  private static String compressedTensors(String format, String weights, String inputs) {
    return """
        {"quant_method": "compressed-tensors", "format": "%s", "quantization_status": "compressed",
         "config_groups": {"group_0": {"targets": ["Linear"], "weights": %s, "input_activations": %s}},
         "ignore": [%s], "kv_cache_scheme": null}
        """.formatted(format, weights, inputs, EXACT);
  }

  private static QuantConfig layer0MlpFloat(QuantConfig.Builder builder) {
    return builder.mlpQuantizedLayers(1).attnQuantizedLayers(0, 1).build();
  }

  @Test
  void everyFormatIsPinned() {
    Set<QuantFormat> pinned = EnumSet.noneOf(QuantFormat.class);
    exports().forEach(a -> pinned.add(((QuantConfig.Builder) a.get()[0]).build().format()));
    assertEquals(EnumSet.allOf(QuantFormat.class), pinned);
  }

  @ParameterizedTest(name = "{index}")
  @MethodSource("exports")
  void quantizationConfigIsTheEnginesForm(QuantConfig.Builder builder, String expected) {
    QuantConfig config = layer0MlpFloat(builder);
    List<String> ignore = HfQuantConfigWriter.ignoreList(config, LAYERS);
    Map<String, Object> block = HfQuantConfigWriter.quantizationConfigBlock(config, ignore);

    assertEquals(json(expected), json(HfQuantConfigWriter.toJson(block)));
  }

  @Test
  void modeloptHfQuantConfigListsExactNamesAndSubtreeGlobs() {
    QuantConfig config = layer0MlpFloat(QuantConfig.builder(QuantFormat.NVFP4));
    List<String> ignore = HfQuantConfigWriter.ignoreList(config, LAYERS);

    assertEquals(json("""
        {"producer": {"name": "modelopt", "version": "jquant"},
         "quantization": {"quant_algo": "NVFP4", "kv_cache_quant_algo": null, "group_size": 16,
           "exclude_modules": [%s, "model.layers.0.mlp*"]}}
        """.formatted(EXACT)), json(HfQuantConfigWriter.toJson(HfQuantConfigWriter.hfQuantConfig(config,
        ignore))));
    assertNull(HfQuantConfigWriter.hfQuantConfig(layer0MlpFloat(QuantConfig.builder(QuantFormat.MXFP4)),
        ignore));
  }

  @Test
  void subtreeGlobsCoverOnlyWholeRolesUnderASharedParent() {
    // MiniLM: attention shares "attention", the MLP's intermediate.dense / output.dense share nothing.
    ModuleNames miniLm = new ModuleNames("encoder.layer.{layer}",
        List.of("intermediate.dense", "output.dense"),
        List.of("attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense"));
    QuantConfig config = QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(0).attnQuantizedLayers(1)
        .build();

    assertEquals(List.of("encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.key",
        "encoder.layer.0.attention.self.value", "encoder.layer.0.attention.output.dense",
        "encoder.layer.1.intermediate.dense", "encoder.layer.1.output.dense", "lm_head",
        "encoder.layer.0.attention*"), HfQuantConfigWriter.ignoreList(config, LAYERS, miniLm));
    // Roles under one parent ("block"): its glob would cover the other role's quantized projections.
    ModuleNames shared = new ModuleNames("h.{layer}", List.of("block.up", "block.down"),
        List.of("block.qkv", "block.o"));
    assertEquals(List.of("h.0.block.up", "h.0.block.down", "lm_head"), HfQuantConfigWriter.ignoreList(
        QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(1).attnQuantizedLayers(0, 1).build(),
        LAYERS, shared));
    // Other formats' readers match exact names: no globs.
    assertEquals(List.of("model.layers.1.self_attn.q_proj", "lm_head"),
        HfQuantConfigWriter.withFormatPatterns(QuantFormat.INT8_W8A8,
            List.of("model.layers.1.self_attn.q_proj", "lm_head"), LAYERS, ModuleNames.llama()));
  }

  @ParameterizedTest(name = "{index}")
  @MethodSource("exports")
  void theExportParsesBackToTheSameLayerSets(QuantConfig.Builder builder, String ignored) {
    QuantConfig config = layer0MlpFloat(builder);
    List<String> ignore = HfQuantConfigWriter.ignoreList(config, LAYERS);
    Map<String, Object> configJson = Map.of("num_hidden_layers", LAYERS, "quantization_config",
        json(HfQuantConfigWriter.toJson(HfQuantConfigWriter.quantizationConfigBlock(config, ignore))));

    QuantConfig parsed = HfQuantConfigParser.parseConfig(configJson, null, LAYERS,
        CheckpointTensors.none()).orElseThrow();

    assertEquals(config.format(), parsed.format());
    assertEquals(Set.of(1), parsed.mlpQuantizedLayers());
    assertEquals(Set.of(0, 1), parsed.attnQuantizedLayers());
  }

  private static Map<String, Object> json(String text) {
    return HfQuantConfigParser.readJson("expected.json", text);
  }
}
