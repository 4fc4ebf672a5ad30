package io.jquant.config;

import com.fasterxml.jackson.jr.ob.JSON;
import io.jquant.annotations.DType;
import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.ScaleGranularity;
import io.jquant.annotations.ScaleOrigin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link QuantConfig} to and from JSON with MAX's dataclass field names, in MAX's field order. */
final class QuantConfigJson {
  private static final List<String> CONFIG_KEYS = List.of("input_scale", "weight_scale",
      "mlp_quantized_layers",
      "attn_quantized_layers", "format", "embedding_output_dtype", "shared_experts_weight_dtype",
      "bias_dtype",
      "can_use_fused_mlp", "can_use_fused_swiglu", "scales_pre_interleaved", "block_scaled_preshuffled_b");
  private static final List<String> INPUT_KEYS = List.of("granularity", "origin", "dtype",
      "activation_scale_ub", "block_size");
  private static final List<String> WEIGHT_KEYS = List.of("granularity", "dtype", "block_size");

  // Maps keep insertion order, so the output order is the order written below.
  private static final JSON WRITER = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT,
      JSON.Feature.WRITE_NULL_PROPERTIES);

  private QuantConfigJson() {}

  static String write(QuantConfig config) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("input_scale", input(config.inputScale()));
    root.put("weight_scale", weight(config.weightScale()));
    root.put("mlp_quantized_layers", new ArrayList<>(config.mlpQuantizedLayers()));
    root.put("attn_quantized_layers", new ArrayList<>(config.attnQuantizedLayers()));
    root.put("format", config.format().wireName());
    root.put("embedding_output_dtype", wireName(config.embeddingOutputDtype()));
    root.put("shared_experts_weight_dtype", wireName(config.sharedExpertsWeightDtype()));
    root.put("bias_dtype", wireName(config.biasDtype()));
    root.put("can_use_fused_mlp", config.canUseFusedMlp());
    root.put("can_use_fused_swiglu", config.canUseFusedSwiglu());
    root.put("scales_pre_interleaved", config.scalesPreInterleaved());
    root.put("block_scaled_preshuffled_b", config.blockScaledPreshuffledB());
    try {
      // The pretty printer ends lines with the platform's separator; one output everywhere is "\n".
      return WRITER.asString(root).replace(System.lineSeparator(), "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing maps, lists and scalars to a string", e);
    }
  }

  static QuantConfig read(String json) {
    JsonObject root = JsonObject.root(parse(json)).onlyKeys(CONFIG_KEYS);
    QuantFormat format = root.wireName("format", QuantFormat::fromWireName);
    return QuantConfig.builder(format)
        .inputScale(input(root.object("input_scale").onlyKeys(INPUT_KEYS)))
        .weightScale(weight(root.object("weight_scale").onlyKeys(WEIGHT_KEYS)))
        .mlpQuantizedLayers(root.intSet("mlp_quantized_layers"))
        .attnQuantizedLayers(root.intSet("attn_quantized_layers"))
        .embeddingOutputDtype(root.nullableWireName("embedding_output_dtype", DType::fromWireName))
        .sharedExpertsWeightDtype(root.nullableWireName("shared_experts_weight_dtype", DType::fromWireName))
        .biasDtype(root.nullableWireName("bias_dtype", DType::fromWireName))
        .canUseFusedMlp(root.bool("can_use_fused_mlp", false))
        .canUseFusedSwiglu(root.bool("can_use_fused_swiglu", false))
        .scalesPreInterleaved(root.bool("scales_pre_interleaved", false))
        .blockScaledPreshuffledB(root.bool("block_scaled_preshuffled_b", false))
        .build();
  }

  private static Object parse(String json) {
    return StrictJson.parse(json, "");
  }

  private static Map<String, Object> input(InputScaleSpec spec) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("granularity", spec.granularity().wireName());
    map.put("origin", spec.origin().wireName());
    map.put("dtype", spec.dtype().wireName());
    map.put("activation_scale_ub", spec.activationScaleUb());
    map.put("block_size", blockSize(spec.blockSize()));
    return map;
  }

  private static Map<String, Object> weight(WeightScaleSpec spec) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("granularity", spec.granularity().wireName());
    map.put("dtype", spec.dtype().wireName());
    map.put("block_size", blockSize(spec.blockSize()));
    return map;
  }

  private static InputScaleSpec input(JsonObject o) {
    ScaleGranularity granularity = o.wireName("granularity", ScaleGranularity::fromWireName);
    ScaleOrigin origin = o.wireName("origin", ScaleOrigin::fromWireName);
    DType dtype = o.wireName("dtype", DType::fromWireName);
    Double ub = o.nullableNumber("activation_scale_ub");
    BlockSize block = o.nullableBlockSize("block_size");
    try {
      return new InputScaleSpec(granularity, origin, dtype, ub, block);
    } catch (IllegalArgumentException e) {
      throw o.error(e.getMessage()); // BLOCK without block_size
    }
  }

  private static WeightScaleSpec weight(JsonObject o) {
    ScaleGranularity granularity = o.wireName("granularity", ScaleGranularity::fromWireName);
    DType dtype = o.wireName("dtype", DType::fromWireName);
    BlockSize block = o.nullableBlockSize("block_size");
    try {
      return new WeightScaleSpec(granularity, dtype, block);
    } catch (IllegalArgumentException e) {
      throw o.error(e.getMessage());
    }
  }

  private static List<Integer> blockSize(BlockSize block) {
    return block == null ? null : block.toList();
  }

  private static String wireName(DType dtype) {
    return dtype == null ? null : dtype.wireName();
  }
}
