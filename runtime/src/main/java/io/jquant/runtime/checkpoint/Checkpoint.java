package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model's tensors on disk, as Hugging Face lays them out: a single {@code .safetensors} file, a directory
 * with {@code model.safetensors}, or a directory with {@code model.safetensors.index.json} whose
 * {@code weight_map} spreads the tensors over shards (all shards are mapped at once). Every file is
 * memory-mapped and validated by {@link SafetensorsFile}; nothing is copied.
 */
public final class Checkpoint implements AutoCloseable {
  /** The single-file name of a Hugging Face checkpoint. */
  public static final String SINGLE_FILE = "model.safetensors";
  /** The index of a sharded Hugging Face checkpoint. */
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final Path root;
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> owners;
  private final List<String> names;
  private final Map<String, String> metadata;

  private Checkpoint(Path root, List<SafetensorsFile> files, Map<String, SafetensorsFile> owners,
      Map<String, String> metadata) {
    this.root = root;
    this.files = List.copyOf(files);
    this.owners = owners;
    this.names = owners.keySet().stream().sorted().toList();
    this.metadata = metadata;
  }

  /**
   * Opens a {@code .safetensors} file or a checkpoint directory. In a directory, {@code model.safetensors}
   * wins over an index when both exist (transformers' order); through an index every shard must exist inside
   * the directory, every mapped tensor must be in its shard, and every tensor of a shard must be mapped to
   * that shard (none in two shards, none unlisted).
   *
   * @throws SafetensorsException naming the file and the problem when the layout or a file is invalid
   * @throws NoSuchFileException when nothing exists at {@code fileOrDirectory}
   * @throws IOException when a file cannot be read
   */
  public static Checkpoint open(Path fileOrDirectory) throws IOException {
    if (Files.isRegularFile(fileOrDirectory)) {
      return single(fileOrDirectory.toAbsolutePath().getParent(), fileOrDirectory);
    }
    if (!Files.isDirectory(fileOrDirectory)) {
      throw notAFile(fileOrDirectory, "no checkpoint file or directory");
    }
    Path single = fileOrDirectory.resolve(SINGLE_FILE);
    if (Files.isRegularFile(single)) {
      return single(fileOrDirectory, single);
    }
    Path index = fileOrDirectory.resolve(INDEX_FILE);
    if (Files.isRegularFile(index)) {
      return sharded(fileOrDirectory, index);
    }
    // A name that is there but is no file (a dangling or looping link, a directory) is reported as it is.
    for (Path entry : List.of(single, index)) {
      if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
        throw notAFile(entry, "no such file");
      }
    }
    throw new SafetensorsException(fileOrDirectory + ": a checkpoint directory needs " + SINGLE_FILE
        + " or " + INDEX_FILE + "; it has neither");
  }

  /**
   * Why {@code path} cannot be opened as a file (or, at the top, as a directory), in the file system's words:
   * missing, a symbolic link loop, no permission on the way; or a directory or a device where a file was
   * expected.
   */
  private static IOException notAFile(Path path, String missing) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return new NoSuchFileException(path.toString(), null, missing);
    } catch (IOException e) {
      return e;
    }
    return new SafetensorsException(path + ": "
        + (attributes.isDirectory() ? "a directory, not a safetensors file" : "not a regular file"));
  }

  private static Checkpoint single(Path root, Path file) throws IOException {
    SafetensorsFile opened = SafetensorsFile.open(file);
    Map<String, SafetensorsFile> owners = new HashMap<>();
    opened.tensorNames().forEach(name -> owners.put(name, opened));
    return new Checkpoint(root, List.of(opened), owners, opened.metadata());
  }

  private static Checkpoint sharded(Path root, Path indexFile) throws IOException {
    ShardIndex index = ShardIndex.read(indexFile);
    Map<String, SafetensorsFile> shards = new TreeMap<>();
    try {
      Path directory = root.toAbsolutePath().normalize();
      for (Map.Entry<String, String> entry : index.weightMap().entrySet()) {
        String shard = entry.getValue();
        if (shards.containsKey(shard)) {
          continue;
        }
        Path file;
        try {
          file = directory.resolve(shard).normalize();
        } catch (InvalidPathException e) {
          throw new SafetensorsException(indexFile + ": weight_map puts tensor '" + entry.getKey() + "' in '"
              + printable(shard) + "', which is not a file name here: " + e.getReason());
        }
        // A plain file name in the directory, as transformers writes: no path that leads elsewhere or that
        // names one shard two ways.
        if (!directory.equals(file.getParent()) || !file.getFileName().toString().equals(shard)
            || !Files.isRegularFile(file)) {
          throw new SafetensorsException(indexFile + ": weight_map puts tensor '" + entry.getKey()
              + "' in '" + shard + "', which is not a file in " + root);
        }
        shards.put(shard, SafetensorsFile.open(root.resolve(shard)));
      }
      Map<String, SafetensorsFile> owners = new HashMap<>();
      for (Map.Entry<String, String> entry : index.weightMap().entrySet()) {
        SafetensorsFile shard = shards.get(entry.getValue());
        if (!shard.contains(entry.getKey())) {
          throw new SafetensorsException(indexFile + ": weight_map puts tensor '" + entry.getKey()
              + "' in '" + entry.getValue() + "', which does not hold it");
        }
        owners.put(entry.getKey(), shard);
      }
      for (Map.Entry<String, SafetensorsFile> shard : shards.entrySet()) {
        for (String name : shard.getValue().tensorNames()) {
          String mapped = index.weightMap().get(name);
          if (!shard.getKey().equals(mapped)) {
            throw new SafetensorsException(indexFile + ": tensor '" + name + "' is in '" + shard.getKey()
                + "' but " + (mapped == null ? "not in weight_map"
                    : "weight_map puts it in '" + mapped
                        + "' (a tensor in two shards)"));
          }
        }
      }
      return new Checkpoint(root, new ArrayList<>(shards.values()), owners, index.metadata());
    } catch (IOException | RuntimeException | Error e) {
      shards.values().forEach(SafetensorsFile::close);
      throw e;
    }
  }

  /** {@code name} with control characters as {@code \\uXXXX}, so a message shows a NUL, not hides it. */
  private static String printable(String name) {
    StringBuilder shown = new StringBuilder();
    name.chars()
        .forEach(c -> shown.append(c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return shown.toString();
  }

  /** The directory the checkpoint lives in (the file's parent for a single file). */
  public Path root() {
    return root;
  }

  /** All tensor names, sorted in {@link String} order, whatever the layout. */
  public List<String> tensorNames() {
    return names;
  }

  /** Whether the checkpoint holds a tensor of this name. */
  public boolean contains(String name) {
    return owners.containsKey(name);
  }

  /**
   * The named tensor, a read-only slice of its file's mapping.
   *
   * @throws IllegalArgumentException naming the checkpoint and the name when there is no such tensor
   */
  public TensorView tensor(String name) {
    return owner(name).tensor(name);
  }

  /**
   * The file that holds the named tensor.
   *
   * @throws IllegalArgumentException naming the checkpoint and the name when there is no such tensor
   */
  public Path fileOf(String name) {
    return owner(name).path();
  }

  private SafetensorsFile owner(String name) {
    SafetensorsFile file = owners.get(name);
    if (file == null) {
      throw new IllegalArgumentException(root + ": the checkpoint has no tensor '" + name + "'");
    }
    return file;
  }

  /** The safetensors files, shards in the order of their names. */
  public List<Path> files() {
    return files.stream().map(SafetensorsFile::path).toList();
  }

  /**
   * The single file's {@code __metadata__}, or for a sharded checkpoint the index's {@code metadata} with
   * every value as text (e.g. {@code total_size}).
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** {@code config.json} next to the tensors, when there is one. */
  public Optional<Path> configJson() {
    return sibling("config.json");
  }

  /** {@code hf_quant_config.json} (ModelOpt) next to the tensors, when there is one. */
  public Optional<Path> hfQuantConfigJson() {
    return sibling("hf_quant_config.json");
  }

  private Optional<Path> sibling(String name) {
    Path file = root.resolve(name);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  /** Unmaps every file; views handed out before become inaccessible. */
  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }
}
