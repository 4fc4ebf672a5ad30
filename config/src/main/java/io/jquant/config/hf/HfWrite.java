package io.jquant.config.hf;

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
    return IgnoreList.of(numLayers, names.checkpointPrefix(), config.mlpQuantizedLayers(),
        config.attnQuantizedLayers(), names.mlp(), names.attention());
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
