package io.jquant.cli;

import io.jquant.config.QuantConfig;
import io.jquant.config.hf.CheckpointFormat;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.IgnorePatterns;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.model.TensorSource;
import io.jquant.runtime.tensor.TensorView;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint's tensors with a given config as their own, so that the loader reads a lone safetensors file
 * as declared (no config.json to agree with) and the test reaches its stored layers.
 */
record DeclaredSource(TensorSource tensors, QuantConfig config) implements TensorSource {
  @Override
  public String description() {
    return tensors.description();
  }

  @Override
  public String fileOf(String name) {
    return tensors.fileOf(name);
  }

  @Override
  public List<String> tensorNames() {
    return tensors.tensorNames();
  }

  @Override
  public Optional<TensorView> find(String name) {
    return tensors.find(name);
  }

  @Override
  public Optional<HfQuantization> quantization(int numLayers, ModuleNames names) {
    return Optional.of(new HfQuantization(config, CheckpointFormat.UNQUANTIZED, IgnorePatterns.none(),
        "declared"));
  }
}
