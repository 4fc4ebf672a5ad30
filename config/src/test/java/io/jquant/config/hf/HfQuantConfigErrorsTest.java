package io.jquant.config.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jquant.config.QuantConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unsupported configs fail with the file, the key path and the reason. */
class HfQuantConfigErrorsTest {
  private static String error(String quantizationConfigJson) {
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json",
        "{\"num_hidden_layers\": 2, \"quantization_config\": " + quantizationConfigJson + "}");
    return assertThrows(IllegalArgumentException.class,
        () -> HfQuantConfigParser.parse(config, null, 2, CheckpointTensors.none())).getMessage();
  }

  private static String ct(String weights, String inputs) {
    return "{\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"group_0\": {\"targets\":"
        + " [\"Linear\"],"
        + " \"weights\": " + weights + ", \"input_activations\": " + inputs + "}}}";
  }

  @Test
  void unknownQuantMethod() {
    assertEquals("config.json: quantization_config.quant_method: Unrecognized quantization config: the"
        + " `quant_method` field ('awq') is provided but not recognized. Supported: compressed-tensors,"
        + " fbgemm_fp8, fp8, modelopt, mxfp4, quark", error("{\"quant_method\": \"awq\"}"));
  }

  @Test
  void tensorGroupFp8Weights() {
    assertEquals("config.json: quantization_config.config_groups.group_0.weights.strategy: unsupported FP8"
        + " weight strategy: \"tensor_group\"; supported: \"tensor\", \"channel\" (and \"block\" with"
        + " block_structure [128, 128])",
        error(ct("{\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"tensor_group\", \"group_size\": 16}",
            "{\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"token\", \"dynamic\": true}")));
  }

  @Test
  void dynamicWeights() {
    assertEquals("config.json: quantization_config.config_groups.group_0.weights.dynamic: dynamic weight"
        + " scaling is not supported for compressed-tensors FP8 method",
        error(ct("{\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"channel\", \"dynamic\": true}",
            "{\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"token\", \"dynamic\": true}")));
  }

  @Test
  void weightOnlyNvfp4() {
    assertEquals("config.json: quantization_config.config_groups.group_0.input_activations: is missing:"
        + " weight-only NVFP4 (NVFP4A16) (no input quantization) is not supported",
        error(ct("{\"num_bits\": 4, \"type\": \"float\", \"strategy\": \"tensor_group\", \"group_size\": 16}",
            "null")));
  }

  @Test
  void int4Weights() {
    assertEquals("config.json: quantization_config.config_groups.group_0.weights.num_bits: 4-bit int weights"
        + " are not supported; jquant reads 8-bit float (FP8, MXFP8), 4-bit float (NVFP4, MXFP4) and 8-bit"
        + " int"
        + " (W8A8) schemes",
        error(ct("{\"num_bits\": 4, \"type\": \"int\", \"strategy\": \"group\", \"group_size\": 128}",
            "null")));
  }

  @Test
  void blockFp8Shape() {
    assertEquals("config.json: quantization_config.weight_block_size: weight_block_size must be [128, 128],"
        + " got [64, 64]",
        error(
            "{\"quant_method\": \"fp8\", \"activation_scheme\": \"dynamic\", \"weight_block_size\": [64,"
                + " 64]}"));
    assertEquals("config.json: quantization_config.activation_scheme: activation_scheme must be dynamic for"
        + " 128x128 block FP8, got \"static\"",
        error(
            "{\"quant_method\": \"fp8\", \"activation_scheme\": \"static\", \"weight_block_size\": [128,"
                + " 128]}"));
  }

  @Test
  void tensorwiseActivationScheme() {
    assertEquals("config.json: quantization_config.activation_scheme: Unsupported activation_scheme for"
        + " tensorwise FP8: \"per_token\". Expected 'dynamic' or 'static'.",
        error("{\"quant_method\": \"fp8\", \"activation_scheme\": \"per_token\"}"));
  }

  @Test
  void modeloptAlgo() {
    assertEquals("config.json: quantization_config.quant_algo: \"W4A8_AWQ\" is not supported; jquant reads"
        + " modelopt \"NVFP4\" and \"FP8\"",
        error("{\"quant_method\": \"modelopt\", \"quant_algo\": \"W4A8_AWQ\"}"));
  }

  @Test
  void partlyIgnoredMlpNamesLayerAndProjections() {
    assertEquals("config.json: quantization_config.modules_to_not_convert: layer 1's MLP is partly quantized:"
        + " mlp.gate_proj, mlp.up_proj ignored, mlp.down_proj quantized; a layer's MLP is quantized all or"
        + " nothing (mlp.gate_proj, mlp.up_proj, mlp.down_proj)",
        error(
            "{\"quant_method\": \"fbgemm_fp8\", \"activation_scale_ub\": 1200.0, \"modules_to_not_convert\":"
                + " [\"model.layers.1.mlp.[gu]*_proj\"]}"));
  }

  @Test
  void partlyIgnoredAttention() {
    assertEquals("config.json: quantization_config.ignore: layer 0's attention is partly quantized:"
        + " self_attn.o_proj ignored, self_attn.q_proj, self_attn.k_proj, self_attn.v_proj quantized; a"
        + " layer's attention is quantized all or nothing (self_attn.q_proj, self_attn.k_proj,"
        + " self_attn.v_proj, self_attn.o_proj)",
        error(
            "{\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\", \"ignore\":"
                + " [\"model.layers.0.self_attn.o_proj\"]}"));
  }

  @Test
  void malformedRegex() {
    assertEquals(
        "config.json: quantization_config.ignore: ignore entry \"re:model.(\" is not a valid pattern:"
            + " Unclosed group",
        error("{\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\", \"ignore\": [\"re:model.(\"]}"));
  }

  @Test
  void fbgemmNeedsRowwiseScales() {
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json",
        "{\"quantization_config\": {\"quant_method\": \"fbgemm_fp8\"}}");
    CheckpointTensors tensors = CheckpointTensors.of(java.util.List.of(
        TensorInfo.of("model.layers.0.mlp.gate_proj.weight_scale",
            io.jquant.config.tensor.StorageDType.F32)));
    assertEquals("config.json: quantization_config: only row-wise weight quantization with uniform weight"
        + " scale dtype is supported for FBGEMM FP8,"
        + " but tensor model.layers.0.mlp.gate_proj.weight_scale is F32 []",
        assertThrows(IllegalArgumentException.class,
            () -> HfQuantConfigParser.parse(config, null, 1, tensors)).getMessage());
  }

  @Test
  void mixedGroups() {
    String w = "{\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"channel\"}";
    String i = "{\"num_bits\": 8, \"type\": \"float\", \"strategy\": \"token\", \"dynamic\": true}";
    assertEquals("config.json: quantization_config.config_groups.group_1: differs from"
        + " quantization_config.config_groups.group_0; jquant (like MAX) applies one scheme to every layer",
        error("{\"quant_method\": \"compressed-tensors\", \"config_groups\": {"
            + "\"group_0\": {\"targets\": [\"Linear\"], \"weights\": " + w + ", \"input_activations\": " + i
            + "},"
            + "\"group_1\": {\"targets\": [\"Linear\"], \"weights\": " + w
            + ", \"input_activations\": null}}}"));
  }

  @Test
  void badJsonNamesTheFile() {
    assertEquals("hf_quant_config.json: not valid JSON: Unexpected end-of-input: expected close marker for"
        + " Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`"
        + " disabled);"
        + " line: 1, column: 1]) at line 1, column 2",
        assertThrows(IllegalArgumentException.class,
            () -> HfQuantConfigParser.readJson("hf_quant_config.json", "{")).getMessage());
  }

  @Test
  void aLayerCountAboveTheLimitIsRefusedNamingTheFileAndKey() {
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json",
        "{\"text_config\": {\"num_hidden_layers\": 100000000}}");
    assertEquals("config.json: text_config.num_hidden_layers: 100000000 decoder layers is more than jquant"
        + " reads (at most 4096)",
        assertThrows(IllegalArgumentException.class,
            () -> HfQuantConfigParser.numHiddenLayers(config)).getMessage());
    assertEquals(4096, HfQuantConfigParser.numHiddenLayers(Map.of("num_hidden_layers", 4096)));
    Map<String, Object> quantized = HfQuantConfigParser.readJson("config.json",
        "{\"quantization_config\": {\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\"}}");
    // A count given in code (not read from a file) is refused in the compiler's words.
    assertEquals("[jquant:Model.NumLayers] jquant supports at most 4096 layers; numLayers is 4097.",
        assertThrows(IllegalArgumentException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(10),
            () -> HfQuantConfigParser.parse(quantized, null, 4097, CheckpointTensors.none()))).getMessage());
  }

  /** One .* per star in a backtracking regex took exponential time on every module name here. */
  @Test
  void anIgnoreEntryOfManyStarsDoesNotHang() {
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json", "{\"quantization_config\":"
        + " {\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\", \"ignore\": [\""
        + "*".repeat(40) + "X\", \"*".repeat(40) + "layers.1.mlp*\"]}}");
    QuantConfig parsed = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> HfQuantConfigParser.parseConfig(config, null, 3, CheckpointTensors.none())).orElseThrow();
    assertEquals(java.util.List.of(0, 2), java.util.List.copyOf(parsed.mlpQuantizedLayers()));
    assertEquals(java.util.List.of(0, 1, 2), java.util.List.copyOf(parsed.attnQuantizedLayers()));
  }

  /** Patterns × layers is bounded: 1,200 wildcards over 4,096 layers pass the bound. */
  @Test
  void tooManyPatternsOverTooManyLayersAreRefusedNamingTheList() {
    StringBuilder ignore = new StringBuilder();
    for (int i = 0; i < 1200; i++) {
      ignore.append(i == 0 ? "" : ", ").append("\"model.layers.*.mlp.x").append(i).append("*\"");
    }
    Map<String, Object> config = HfQuantConfigParser.readJson("config.json", "{\"quantization_config\":"
        + " {\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\", \"ignore\": [" + ignore + "]}}");
    assertEquals("config.json: quantization_config.ignore: 1200 wildcard or regex entries over 4096 layers is"
        + " 34406400 pattern tests, more than jquant runs (33554432); list exact module names (any number of"
        + " them is cheap) or fewer patterns",
        assertThrows(IllegalArgumentException.class,
            () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> HfQuantConfigParser.parse(
                config, null, 4096, CheckpointTensors.none())))
            .getMessage());
    assertEquals(java.util.List.of(0, 1, 2), java.util.List.copyOf(HfQuantConfigParser
        .parseConfig(config, null, 3, CheckpointTensors.none()).orElseThrow().mlpQuantizedLayers()));
  }
}
