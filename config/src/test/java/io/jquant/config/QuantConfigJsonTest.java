package io.jquant.config;

import static io.jquant.annotations.DType.BFLOAT16;
import static io.jquant.annotations.DType.FLOAT16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.annotations.QuantFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class QuantConfigJsonTest {

  private static final String NVFP4_JSON = """
      {
        "input_scale" : {
          "granularity" : "block",
          "origin" : "static",
          "dtype" : "float32",
          "activation_scale_ub" : null,
          "block_size" : [ 1, 16 ]
        },
        "weight_scale" : {
          "granularity" : "block",
          "dtype" : "float8_e4m3fn",
          "block_size" : [ 1, 16 ]
        },
        "mlp_quantized_layers" : [ 0, 1, 2 ],
        "attn_quantized_layers" : [ 1, 2 ],
        "format" : "nvfp4",
        "embedding_output_dtype" : "bfloat16",
        "shared_experts_weight_dtype" : null,
        "bias_dtype" : null,
        "can_use_fused_mlp" : true,
        "can_use_fused_swiglu" : false,
        "scales_pre_interleaved" : false,
        "block_scaled_preshuffled_b" : false
      }""";

  private static QuantConfig nvfp4() {
    return QuantConfig.builder(QuantFormat.NVFP4).mlpQuantizedLayers(2, 0, 1).attnQuantizedLayers(2, 1)
        .embeddingOutputDtype(BFLOAT16).canUseFusedMlp(true).build();
  }

  /**
   * NVFP4_JSON with {@code from} (which must occur exactly once) replaced, so a test cannot miss its edit.
   */
  private static String edit(String from, String to) {
    int at = NVFP4_JSON.indexOf(from);
    assertTrue(at >= 0 && at == NVFP4_JSON.lastIndexOf(from), "edit target must occur once: " + from);
    return NVFP4_JSON.substring(0, at) + to + NVFP4_JSON.substring(at + from.length());
  }

  private static String rejection(String json) {
    return assertThrows(IllegalArgumentException.class, () -> QuantConfig.fromJson(json)).getMessage();
  }

  @Test
  void writesMaxFieldNamesInMaxOrder() {
    assertEquals(NVFP4_JSON, nvfp4().toJson());
  }

  @Test
  void readsWhatItWrites() {
    assertEquals(nvfp4(), QuantConfig.fromJson(NVFP4_JSON));
  }

  @ParameterizedTest
  @EnumSource(QuantFormat.class)
  void everyFormatRoundTrips(QuantFormat format) {
    QuantConfig config = MaxConfigs.forFormat(format).toBuilder()
        .biasDtype(FLOAT16)
        .sharedExpertsWeightDtype(BFLOAT16)
        // The MoE flags are set where the format allows them, so every field is written somewhere.
        .canUseFusedSwiglu(
            format == QuantFormat.NVFP4 || format == QuantFormat.MXFP4 || format == QuantFormat.MXFP8)
        .blockScaledPreshuffledB(format == QuantFormat.MXFP4)
        .build();
    String json = config.toJson();
    assertTrue(json.contains("\"format\" : \"" + format.wireName() + "\""), json);
    QuantConfig read = QuantConfig.fromJson(json);
    assertEquals(config, read);
    assertEquals(json, read.toJson());
  }

  @Test
  void fbgemmUpperBoundAndNullBlockSizesAreWritten() {
    String json = MaxConfigs.fbgemm().toJson();
    assertTrue(json.contains("""
          "input_scale" : {
            "granularity" : "colwise",
            "origin" : "dynamic",
            "dtype" : "float8_e4m3fn",
            "activation_scale_ub" : 1200.0,
            "block_size" : null
          },
          "weight_scale" : {
            "granularity" : "rowwise",
            "dtype" : "float32",
            "block_size" : null
          },
        """), json);
    assertEquals(1200.0, QuantConfig.fromJson(json).inputScale().activationScaleUb());
  }

  @Test
  void keysWithMaxDefaultsMayBeLeftOut() {
    QuantConfig c = QuantConfig.fromJson("""
        {"input_scale": {"granularity": "colwise", "origin": "dynamic", "dtype": "float32"},
         "weight_scale": {"granularity": "rowwise", "dtype": "float32"},
         "mlp_quantized_layers": [3, 1], "attn_quantized_layers": [], "format": "int8-w8a8"}""");
    assertEquals(MaxConfigs.int8W8a8().toBuilder().mlpQuantizedLayers(1, 3).attnQuantizedLayers().build(), c);
  }

  @Test
  void integerUpperBoundIsANumber() {
    String json = MaxConfigs.fbgemm().toJson().replace("1200.0", "1200");
    assertEquals(1200.0, QuantConfig.fromJson(json).inputScale().activationScaleUb());
  }

  // ---- errors name the field ----

  @Test
  void unknownEnumNamesAreNamedWithTheirPath() {
    assertEquals("input_scale.granularity: unknown scale granularity 'blok'",
        rejection(edit("\"granularity\" : \"block\",\n    \"origin\"",
            "\"granularity\" : \"blok\",\n    \"origin\"")));
    assertEquals("input_scale.origin: unknown scale origin 'offline'",
        rejection(edit("\"static\"", "\"offline\"")));
    assertEquals("weight_scale.dtype: unknown dtype 'fp8'", rejection(edit("\"float8_e4m3fn\"", "\"fp8\"")));
    assertEquals("format: unknown quantization format 'nvfp5'", rejection(edit("\"nvfp4\"", "\"nvfp5\"")));
    assertEquals("embedding_output_dtype: unknown dtype 'bf16'", rejection(edit("\"bfloat16\"", "\"bf16\"")));
  }

  @Test
  void unknownKeysAreRefused() {
    assertEquals("input_scale.blocksize: unknown key; expected one of granularity, origin, dtype, "
        + "activation_scale_ub, block_size",
        rejection(edit("\"block_size\" : [ 1, 16 ]\n  },\n  \"weight_scale\"",
            "\"blocksize\" : [ 1, 16 ]\n  },\n  \"weight_scale\"")));
    assertEquals(
        "quant_method: unknown key; expected one of input_scale, weight_scale, mlp_quantized_layers, "
            + "attn_quantized_layers, format, embedding_output_dtype, shared_experts_weight_dtype,"
            + " bias_dtype, "
            + "can_use_fused_mlp, can_use_fused_swiglu, scales_pre_interleaved, block_scaled_preshuffled_b",
        rejection(edit("\"format\" :", "\"quant_method\" : \"modelopt\", \"format\" :")));
  }

  @Test
  void anUnknownKeyThatIsNotAPlainNameIsQuoted() {
    // Found by QuantConfigJsonFuzzTest: a raw "dtype\n" key split the message over two lines.
    assertEquals("\"dtype\\u000a\": unknown key; expected one of input_scale, weight_scale, "
        + "mlp_quantized_layers, attn_quantized_layers, format, embedding_output_dtype, "
        + "shared_experts_weight_dtype, bias_dtype, can_use_fused_mlp, can_use_fused_swiglu, "
        + "scales_pre_interleaved, block_scaled_preshuffled_b",
        rejection(edit("\"format\" :", "\"dtype\\n\" : 1, \"format\" :")));
    assertEquals("input_scale.\"block.size\": unknown key; expected one of granularity, origin, dtype, "
        + "activation_scale_ub, block_size",
        rejection(edit("\"block_size\" : [ 1, 16 ]\n  },\n  \"weight_scale\"",
            "\"block.size\" : [ 1, 16 ]\n  },\n  \"weight_scale\"")));
  }

  @Test
  void missingRequiredKeysAreNamed() {
    assertEquals("weight_scale: missing", rejection(edit("\"weight_scale\"", "\"unused\"")
        .replace("\"unused\" : {\n    \"granularity\" : \"block\",\n    \"dtype\" : \"float8_e4m3fn\",\n"
            + "    \"block_size\" : [ 1, 16 ]\n  },\n", "")));
    assertEquals("input_scale.dtype: missing", rejection(edit("\"dtype\" : \"float32\",\n", "")));
  }

  @Test
  void wrongTypesAreNamed() {
    assertEquals("mlp_quantized_layers: expected an array, got \"0-2\"",
        rejection(edit("[ 0, 1, 2 ]", "\"0-2\"")));
    assertEquals("mlp_quantized_layers[1]: expected an integer from -2147483648 to 2147483647, got 1.5",
        rejection(edit("[ 0, 1, 2 ]", "[ 0, 1.5 ]")));
    assertEquals(
        "attn_quantized_layers[0]: expected an integer from -2147483648 to 2147483647, got 4294967296",
        rejection(edit("[ 1, 2 ]", "[ 4294967296 ]")));
    assertEquals("input_scale: expected an object, got \"block\"",
        rejection("{\"input_scale\": \"block\", \"format\": \"nvfp4\"}"));
    assertEquals("can_use_fused_mlp: expected true or false, got \"yes\"",
        rejection(edit("true", "\"yes\"")));
    assertEquals("can_use_fused_swiglu: expected true or false, got null",
        rejection(edit("\"can_use_fused_swiglu\" : false", "\"can_use_fused_swiglu\" : null")));
    assertEquals("input_scale.activation_scale_ub: expected a number or null, got \"1200\"",
        rejection(edit("\"activation_scale_ub\" : null", "\"activation_scale_ub\" : \"1200\"")));
    assertEquals("weight_scale.granularity: expected a string, got 3",
        rejection(
            edit("\"granularity\" : \"block\",\n    \"dtype\"", "\"granularity\" : 3,\n    \"dtype\"")));
    assertEquals("$: expected a JSON object, got an array", rejection("[1, 2]"));
  }

  @Test
  void repeatedLayersAreRefused() {
    assertEquals("mlp_quantized_layers[2]: layer 1 is listed twice",
        rejection(edit("[ 0, 1, 2 ]", "[ 0, 1, 1 ]")));
  }

  @Test
  void badBlockSizesAreNamed() {
    String weightBlock = "\"dtype\" : \"float8_e4m3fn\",\n    \"block_size\" : [ 1, 16 ]";
    assertEquals("weight_scale.block_size: expected [rows, cols], got [16]",
        rejection(edit(weightBlock, "\"dtype\" : \"float8_e4m3fn\",\n    \"block_size\" : [ 16 ]")));
    assertEquals("weight_scale.block_size[1]: expected an integer from -2147483648 to 2147483647, got \"16\"",
        rejection(edit(weightBlock, "\"dtype\" : \"float8_e4m3fn\",\n    \"block_size\" : [ 1, \"16\" ]")));
    assertEquals(
        "weight_scale.block_size: [jquant:Scales.BlockShape] a scale block size is two positive integers "
            + "{rows, cols}, not {0, 16}.",
        rejection(edit(weightBlock, "\"dtype\" : \"float8_e4m3fn\",\n    \"block_size\" : [ 0, 16 ]")));
    assertEquals(
        "weight_scale: [jquant:Scales.BlockMissing] BLOCK weight scales need a block size {rows, cols}.",
        rejection(edit(weightBlock, "\"dtype\" : \"float8_e4m3fn\",\n    \"block_size\" : null")));
  }

  @Test
  void malformedJsonIsRefused() {
    assertTrue(rejection("{\"format\": ").startsWith("not valid JSON: "));
    assertEquals("not valid JSON: Duplicate key (key 'format') at line 1, column 31",
        rejection("{\"format\": \"nvfp4\", \"format\": \"mxfp4\"}"));
    assertEquals("not valid JSON: more than one value, the second at line 1, column 4", rejection("{} {}"));
    assertTrue(rejection(NVFP4_JSON + " x").startsWith("not valid JSON: Unrecognized token 'x'"));
  }

  @Test
  void theRulesApplyAfterParsing() {
    assertEquals(
        "invalid QuantConfig:\n[jquant:Format.WeightGranularity] NVFP4 weight scales are BLOCK, not ROWWISE.",
        rejection(edit(
            "\"granularity\" : \"block\",\n    \"dtype\" : \"float8_e4m3fn\",\n    \"block_size\" : [ 1, 16"
                + " ]",
            "\"granularity\" : \"rowwise\",\n    \"dtype\" : \"float8_e4m3fn\",\n"
                + "    \"block_size\" : null")));
    assertEquals(
        "invalid QuantConfig:\n[jquant:Config.LayerNegative] mlpQuantizedLayers holds negative layer "
            + "indices [-1]; layers are numbered from 0.",
        rejection(edit("[ 0, 1, 2 ]", "[ -1, 1, 2 ]")));
  }
}
