package io.jquant.config.hf;

import io.jquant.annotations.QuantFormat;
import io.jquant.config.QuantConfig;
import java.util.List;
import java.util.Map;

/**
 * The reverse of {@link HfQuantConfigParser}, for {@code jquant quantize}: the {@code quantization_config}
 * block and {@code hf_quant_config.json} a {@link QuantConfig} maps to (annotations'
 * {@link io.jquant.annotations.serving.ServingConfig}), its ignore list
 * ({@link io.jquant.annotations.serving.IgnoreList}), and an updated {@code config.json}. Parsing what this
 * writes gives back the same {@code QuantConfig}, given the checkpoint's tensors.
 */
public final class HfQuantConfigWriter {
  private HfQuantConfigWriter() {}

  /**
   * The module names a serving engine must leave unquantized: every MLP projection of a layer outside
   * {@code mlpQuantizedLayers}, every attention projection of a layer outside {@code attnQuantizedLayers}
   * (Llama names under {@code model.layers.<i>}), then {@code lm_head}; for NVFP4 (modelopt) followed by the
   * subtree globs of {@link #withFormatPatterns}.
   */
  public static List<String> ignoreList(QuantConfig config, int numLayers) {
    return HfWrite.ignoreList(config, numLayers, ModuleNames.llama());
  }

  /**
   * Like {@link #ignoreList(QuantConfig, int)} with the model's module {@code names}: e.g.
   * {@code encoder.layer.<i>.intermediate.dense} for MiniLM. The parser reads such a list back with the same
   * names ({@link HfQuantConfigParser#parse(Map, Map, int, CheckpointTensors, ModuleNames)}).
   */
  public static List<String> ignoreList(QuantConfig config, int numLayers, ModuleNames names) {
    return HfWrite.ignoreList(config, numLayers, names);
  }

  /**
   * {@code ignore} as {@code format}'s config lists it: for NVFP4 (modelopt) followed by a subtree glob such
   * as {@code model.layers.0.self_attn*} for each layer whose MLP or attention projections are all listed
   * (MAX's newer modelopt parser honours only those, vLLM both forms); unchanged for the other formats, whose
   * readers match exact names. The parser reads the globs back to the same layer sets.
   *
   * @param names the model's module names (its prefix and projections), {@link ModuleNames#llama()} by
   * default
   */
  public static List<String> withFormatPatterns(QuantFormat format, List<String> ignore, int numLayers,
      ModuleNames names) {
    return HfWrite.withFormatPatterns(format, ignore, numLayers, names);
  }

  /** The {@code config.json} {@code quantization_config} block for {@code config}, with {@code ignore}. */
  public static Map<String, Object> quantizationConfigBlock(QuantConfig config, List<String> ignore) {
    return HfWrite.quantizationConfigBlock(config, ignore);
  }

  /** modelopt's {@code hf_quant_config.json} content for an NVFP4 {@code config}, else null. */
  public static Map<String, Object> hfQuantConfig(QuantConfig config, List<String> ignore) {
    return HfWrite.hfQuantConfig(config, ignore);
  }

  /** {@code json} pretty-printed: two-space indent, keys in map order, "\n" line ends, a final newline. */
  public static String toJson(Map<String, Object> json) {
    return HfJson.write(json);
  }

  /**
   * {@code originalConfigJson} (a {@code config.json}) with {@code quantization_config} replaced by
   * {@code block} (or added at the end), every other key kept in its order, pretty-printed as
   * {@link #toJson(Map)}.
   *
   * @throws IllegalArgumentException naming config.json if the original is not one JSON object
   */
  public static String updatedConfigJson(String originalConfigJson, Map<String, Object> block) {
    return HfWrite.updatedConfigJson(originalConfigJson, block);
  }
}
