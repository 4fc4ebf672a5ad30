package io.jquant.runtime.hf;

import io.jquant.runtime.config.QuantConfig;
import java.util.List;
import java.util.Map;

/** The implementation of {@link HfQuantConfigWriter}. */
final class HfWrite {
  private HfWrite() {}

  static List<String> ignoreList(QuantConfig config, int numLayers) {
    throw new UnsupportedOperationException("not yet");
  }

  static Map<String, Object> quantizationConfigBlock(QuantConfig config, List<String> ignore) {
    throw new UnsupportedOperationException("not yet");
  }

  static Map<String, Object> hfQuantConfig(QuantConfig config, List<String> ignore) {
    throw new UnsupportedOperationException("not yet");
  }

  static String updatedConfigJson(String original, Map<String, Object> block) {
    throw new UnsupportedOperationException("not yet");
  }
}
