package io.jquant.samples.llama;

import io.jquant.config.QuantConfig;
import io.jquant.runtime.model.ModelWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** stories260K and its reference, read once for the test classes. */
final class StoriesFixture {
  static final Path DIR = Stories260k.locate();
  static final Stories260k.Reference REFERENCE;
  static final LlamaConfig CONFIG;

  static {
    try {
      REFERENCE = Stories260k.Reference.read(DIR);
      CONFIG = LlamaConfig.read(DIR);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private StoriesFixture() {}

  /** The checkpoint opened for {@code config} (null: float32); a float checkpoint is quantized on the fly. */
  static ModelWeights open(QuantConfig config) throws IOException {
    return LlamaWiring.open(DIR, config);
  }
}
