package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's tensors on disk, as Hugging Face lays them out: a single {@code .safetensors} file, a directory
 * with {@code model.safetensors}, or a directory with {@code model.safetensors.index.json} whose
 * {@code weight_map} spreads the tensors over shards (all shards are mapped at once). Every file is
 * memory-mapped and validated by {@link SafetensorsFile}.
 */
public final class Checkpoint implements AutoCloseable {
  /** The single-file name of a Hugging Face checkpoint. */
  public static final String SINGLE_FILE = "model.safetensors";
  /** The index of a sharded Hugging Face checkpoint. */
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private Checkpoint() {}

  /**
   * Opens a {@code .safetensors} file or a checkpoint directory. A directory with an index is read through
   * the index (every shard must exist, every mapped tensor must be in its shard, no tensor may be in two
   * shards); otherwise the directory must hold {@code model.safetensors}.
   *
   * @throws SafetensorsException naming the file and the problem when the layout or a file is invalid
   * @throws IOException when a file cannot be read
   */
  public static Checkpoint open(Path fileOrDirectory) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** The directory the checkpoint lives in (the file's parent for a single file). */
  public Path root() {
    throw new UnsupportedOperationException("not yet");
  }

  /** All tensor names, sorted (String order), whatever the layout. */
  public List<String> tensorNames() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Whether the checkpoint holds a tensor of this name. */
  public boolean contains(String name) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * The named tensor, a slice of its file's mapping.
   *
   * @throws IllegalArgumentException naming the checkpoint and the name when there is no such tensor
   */
  public TensorView tensor(String name) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * The file that holds the named tensor.
   *
   * @throws IllegalArgumentException naming the checkpoint and the name when there is no such tensor
   */
  public Path fileOf(String name) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The safetensors files, in the order of their names. */
  public List<Path> files() {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * The single file's {@code __metadata__}, or for a sharded checkpoint the index's {@code metadata} with
   * every value as a string (e.g. {@code total_size}).
   */
  public Map<String, String> metadata() {
    throw new UnsupportedOperationException("not yet");
  }

  /** {@code config.json} next to the tensors, when there is one. */
  public Optional<Path> configJson() {
    throw new UnsupportedOperationException("not yet");
  }

  /** {@code hf_quant_config.json} (ModelOpt) next to the tensors, when there is one. */
  public Optional<Path> hfQuantConfigJson() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Unmaps every file; views handed out before become inaccessible. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("not yet");
  }
}
