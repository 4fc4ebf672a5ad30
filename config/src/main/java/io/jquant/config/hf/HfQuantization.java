package io.jquant.config.hf;

import io.jquant.config.QuantConfig;
import java.util.Objects;

/**
 * What a Hugging Face checkpoint's quantization config says: MAX's {@link QuantConfig}, the producer's
 * layout, the ignore list it was built from and where the config came from.
 *
 * @param config the config, as MAX's {@code parse_quant_config} builds it (with jquant's choices, see
 * {@link HfQuantConfigParser})
 * @param format the checkpoint layout
 * @param ignore the ignore / exclude list that decided the layer sets (empty when there is none)
 * @param source where the config was read: {@code "config.json: quantization_config"} or
 * {@code "hf_quant_config.json: quantization"}, or {@code "tensors"} for a config-less NVFP4 checkpoint
 */
public record HfQuantization(QuantConfig config, CheckpointFormat format, IgnorePatterns ignore,
    String source) {
  public HfQuantization {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(ignore, "ignore");
    Objects.requireNonNull(source, "source");
  }
}
