package io.jquant.runtime.model;

import io.jquant.config.hf.CheckpointTensors;
import io.jquant.config.hf.HfQuantConfigParser;
import io.jquant.config.hf.HfQuantization;
import io.jquant.config.hf.ModuleNames;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tensors of a safetensors {@link Checkpoint}, with the quantization config of the directory it lives in
 * ({@link Checkpoint#root()}: the directory, or a single file's parent). Closing is the checkpoint owner's
 * job.
 */
public final class CheckpointSource implements TensorSource {
  private final Checkpoint checkpoint;
  private final String description;
  private volatile CheckpointTensors infos;

  /** The tensors of {@code checkpoint}, which must stay open while they are used. */
  public CheckpointSource(Checkpoint checkpoint) {
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    List<Path> files = checkpoint.files();
    this.description = (files.size() == 1 ? files.getFirst() : checkpoint.root()).toString();
  }

  /** The checkpoint. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The single safetensors file, or the directory of a sharded checkpoint. */
  @Override
  public String description() {
    return description;
  }

  /** The safetensors file that holds tensor {@code name}. */
  @Override
  public String fileOf(String name) {
    return checkpoint.fileOf(name).toString();
  }

  @Override
  public List<String> tensorNames() {
    return checkpoint.tensorNames();
  }

  @Override
  public Optional<TensorView> find(String name) {
    return checkpoint.contains(name) ? Optional.of(checkpoint.tensor(name)) : Optional.empty();
  }

  /**
   * {@link HfQuantConfigParser#parse(Path, int, CheckpointTensors, ModuleNames)} over the checkpoint's
   * directory. Without a {@code config.json} there, only {@code hf_quant_config.json} (when present) and the
   * tensors are read: empty unless one of them says NVFP4 (a {@code weight_scale_2} tensor does).
   */
  @Override
  public Optional<HfQuantization> quantization(int numLayers, ModuleNames names) {
    Path root = checkpoint.root();
    if (checkpoint.configJson().isPresent()) {
      return HfQuantConfigParser.parse(root, numLayers, checkpointTensors(), names);
    }
    Map<String, Object> hfQuant = checkpoint.hfQuantConfigJson().map(CheckpointSource::readJson).orElse(null);
    return HfQuantConfigParser.parse(Map.of(), hfQuant, numLayers, checkpointTensors(), names);
  }

  private static Map<String, Object> readJson(Path file) {
    try {
      return HfQuantConfigParser.readJson(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public CheckpointTensors checkpointTensors() {
    CheckpointTensors known = infos;
    if (known == null) {
      known = TensorSource.super.checkpointTensors();
      infos = known;
    }
    return known;
  }

  @Override
  public String toString() {
    return "CheckpointSource[" + description + "]";
  }
}
