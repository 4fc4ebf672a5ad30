package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a Hugging Face checkpoint directory for a streaming caller: tensors arrive one by one through
 * {@link #add} (or {@link #adopt}, which keeps the caller's bytes instead of copying them), are held in a
 * buffer of at most one shard ({@code maxShardBytes} of tensor data, or one larger tensor alone) and written
 * shard by shard, so the whole model is never in memory.
 *
 * <p>Full shards go to hidden pending files. {@link #close()} writes the last shard; when there was only one,
 * it becomes {@code model.safetensors}; otherwise the pending shards are renamed to
 * {@code model-0000i-of-0000N.safetensors} and {@code model.safetensors.index.json} is written last. Every
 * file appears atomically; when any step fails, every file this writer made is deleted, so nothing partial
 * remains under the final names. After a successful close, checkpoint files of an earlier save in the
 * directory that the new one does not use (a stale index, single file or shard) are deleted, as transformers'
 * {@code save_pretrained} does, so that {@link Checkpoint#open} sees only the new one.
 *
 * <p>Not thread-safe: one caller adds the tensors.
 */
public final class CheckpointWriter implements AutoCloseable {
  private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

  private final Path directory;
  private final long maxShardBytes;
  private final Map<String, String> metadata;
  private final Set<String> names = new HashSet<>();
  private final List<Path> pendingShards = new ArrayList<>();
  private final List<List<String>> shardNames = new ArrayList<>();
  private final List<Path> finalFiles = new ArrayList<>();
  private List<TensorView> buffered = new ArrayList<>();
  private long bufferedBytes;
  private long totalBytes;
  private Arena buffer = Arena.ofShared();
  private boolean finished;

  private CheckpointWriter(Path directory, long maxShardBytes, Map<String, String> metadata) {
    this.directory = directory;
    this.maxShardBytes = maxShardBytes;
    this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * Starts a checkpoint in {@code directory} (created when missing) with no {@code __metadata__}.
   *
   * @param maxShardBytes the most tensor bytes in one shard; a single larger tensor gets a shard of its own
   */
  public static CheckpointWriter open(Path directory, long maxShardBytes) throws IOException {
    return open(directory, maxShardBytes, Map.of());
  }

  /**
   * Starts a checkpoint in {@code directory} (created when missing).
   *
   * @param maxShardBytes the most tensor bytes in one shard; a single larger tensor gets a shard of its own
   * @param metadata the {@code __metadata__} of every file, e.g. {@code {"format": "pt"}} as transformers
   * writes; empty for none
   */
  public static CheckpointWriter open(Path directory, long maxShardBytes, Map<String, String> metadata)
      throws IOException {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    }
    Files.createDirectories(directory);
    return new CheckpointWriter(directory, maxShardBytes, metadata);
  }

  /**
   * Adds a tensor. Its bytes are copied (the caller may reuse or free the source afterwards); a full shard is
   * written before the call returns.
   *
   * @throws IllegalArgumentException when the name was added before
   * @throws IllegalStateException after {@link #close()} or a failure
   * @throws IOException when writing a full shard fails (the writer is then aborted)
   */
  public void add(TensorView tensor) throws IOException {
    buffer(tensor, true);
  }

  /**
   * Adds a tensor without copying its bytes: the writer keeps {@code tensor.data()} until its shard is
   * written, so the caller must neither change nor free it before {@link #close()} (or {@link #abort()}). For
   * producers that hand over fresh arrays or slices of a mapping that outlives the writer, this saves a copy
   * of every byte (and the zeroed native buffer it would go to).
   *
   * @throws IllegalArgumentException when the name was added before
   * @throws IllegalStateException after {@link #close()} or a failure
   * @throws IOException when writing a full shard fails (the writer is then aborted)
   */
  public void adopt(TensorView tensor) throws IOException {
    buffer(tensor, false);
  }

  private void buffer(TensorView tensor, boolean copy) throws IOException {
    if (finished) {
      throw new IllegalStateException(directory + ": the checkpoint writer is closed");
    }
    if (!names.add(tensor.name())) {
      throw new IllegalArgumentException(directory + ": tensor '" + tensor.name() + "' is added twice");
    }
    try {
      long size = tensor.data().byteSize();
      if (!buffered.isEmpty() && bufferedBytes + size > maxShardBytes) {
        flushShard();
      }
      if (copy) {
        MemorySegment bytes = buffer.allocate(Math.max(1, size), 8).asSlice(0, size);
        bytes.copyFrom(tensor.data());
        buffered.add(new TensorView(tensor.name(), tensor.dtype(), tensor.shape(), bytes));
      } else {
        buffered.add(tensor);
      }
      bufferedBytes += size;
      totalBytes += size;
    } catch (IOException | RuntimeException | Error e) {
      abort();
      throw e;
    }
  }

  /** Writes the buffered tensors to a hidden pending shard and frees the buffer. */
  private void flushShard() throws IOException {
    Path pending = AtomicFiles.createTemp(directory.resolve("shard-" + (pendingShards.size() + 1)));
    pendingShards.add(pending);
    SafetensorsWriter.write(pending, buffered, metadata);
    shardNames.add(buffered.stream().map(TensorView::name).toList());
    buffered = new ArrayList<>();
    bufferedBytes = 0;
    buffer.close();
    buffer = Arena.ofShared();
  }

  /**
   * Writes the remaining shard and, for more than one shard, the index. After a failure nothing remains under
   * the final names. Closing again does nothing.
   */
  @Override
  public void close() throws IOException {
    if (finished) {
      return;
    }
    try {
      if (pendingShards.isEmpty()) {
        Path single = directory.resolve(Checkpoint.SINGLE_FILE);
        SafetensorsWriter.write(single, buffered, metadata);
        // Listed only once written: a failed write leaves an older file there untouched, not deleted.
        finalFiles.add(single);
      } else {
        if (!buffered.isEmpty()) {
          flushShard();
        }
        int count = pendingShards.size();
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
          // Locale.ROOT: ASCII digits in the name even where the default locale writes others.
          String name = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, count);
          Path target = directory.resolve(name);
          AtomicFiles.move(pendingShards.get(i), target);
          finalFiles.add(target);
          shardNames.get(i).forEach(tensor -> weightMap.put(tensor, name));
        }
        Path index = directory.resolve(Checkpoint.INDEX_FILE);
        byte[] text = ShardIndex.text(totalBytes, weightMap);
        AtomicFiles.write(index, channel -> AtomicFiles.writeFully(channel, ByteBuffer.wrap(text)));
        finalFiles.add(index);
      }
      finished = true;
      buffer.close();
    } catch (IOException | RuntimeException | Error e) {
      abort();
      throw e;
    }
    removeStale();
  }

  /** Gives up: deletes every file this writer made and frees the buffer. Safe to call more than once. */
  public void abort() {
    finished = true;
    for (Path file : pendingShards) {
      deleteQuietly(file);
    }
    for (Path file : finalFiles) {
      deleteQuietly(file);
    }
    if (buffer.scope().isAlive()) {
      buffer.close();
    }
  }

  /** Deletes the files of an earlier save that the new checkpoint does not use. */
  private void removeStale() throws IOException {
    Set<Path> kept = new HashSet<>(finalFiles);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        boolean checkpointFile = name.equals(Checkpoint.SINGLE_FILE) || name.equals(Checkpoint.INDEX_FILE)
            || SHARD_NAME.matcher(name).matches();
        if (checkpointFile && !kept.contains(file)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // Best effort while failing: the original error is the one to report.
    }
  }
}
