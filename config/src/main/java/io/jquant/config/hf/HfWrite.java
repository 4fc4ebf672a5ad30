package io.jquant.config.hf;

import io.jquant.annotations.QuantFormat;
import io.jquant.annotations.rules.SpecMessages;
import io.jquant.annotations.serving.IgnoreList;
import io.jquant.annotations.serving.ServingConfig;
import io.jquant.config.QuantConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The implementation of {@link HfQuantConfigWriter}: annotations' {@link ServingConfig}, reused. */
final class HfWrite {
  private HfWrite() {}

  static List<String> ignoreList(QuantConfig config, int numLayers, ModuleNames names) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(names, "names");
    SpecMessages.requireNumLayers(numLayers);
    List<String> exact = IgnoreList.of(numLayers, names.checkpointPrefix(), config.mlpQuantizedLayers(),
        config.attnQuantizedLayers(), names.mlp(), names.attention());
    return withFormatPatterns(config.format(), exact, numLayers, names);
  }

  static List<String> withFormatPatterns(QuantFormat format, List<String> ignore, int numLayers,
      ModuleNames names) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(names, "names");
    SpecMessages.requireNumLayers(numLayers);
    // modelopt's lists are globs (vLLM's fnmatch, MAX's subtree globs); the other readers match exact names.
    return format == QuantFormat.NVFP4
        ? IgnoreList.withSubtrees(ignore, numLayers, names.checkpointPrefix(), names.mlp(), names.attention())
        : List.copyOf(ignore);
  }

  static Map<String, Object> quantizationConfigBlock(QuantConfig config, List<String> ignore) {
    Objects.requireNonNull(config, "config");
    return ServingConfig.quantizationConfig(config.format(), config.inputScale().toRuleSpec(),
        config.weightScale().toRuleSpec(), List.copyOf(ignore));
  }

  static Map<String, Object> hfQuantConfig(QuantConfig config, List<String> ignore) {
    Objects.requireNonNull(config, "config");
    return ServingConfig.hfQuantConfig(config.format(), List.copyOf(ignore));
  }

  static String updatedConfigJson(String original, Map<String, Object> block) {
    Objects.requireNonNull(block, "block");
    Map<String, Object> config = new LinkedHashMap<>(
        HfJson.readObject(HfQuantConfigParser.CONFIG_JSON, original));
    config.put("quantization_config", block); // an existing key keeps its place
    return HfJson.write(config);
  }
}
