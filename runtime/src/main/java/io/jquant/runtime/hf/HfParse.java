package io.jquant.runtime.hf;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The implementation of {@link HfQuantConfigParser}. */
final class HfParse {
  private HfParse() {}

  static Optional<HfQuantization> directory(Path dir, Integer numLayers, CheckpointTensors tensors) {
    throw new UnsupportedOperationException("not yet");
  }

  static Optional<HfQuantization> maps(
      Map<String, Object> config, Map<String, Object> hfQuantConfig, int numLayers, CheckpointTensors tensors) {
    throw new UnsupportedOperationException("not yet");
  }

  static int numHiddenLayers(Map<String, Object> config) {
    throw new UnsupportedOperationException("not yet");
  }
}
