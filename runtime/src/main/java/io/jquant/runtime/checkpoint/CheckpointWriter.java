package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a Hugging Face checkpoint directory for a streaming caller: tensors arrive one by one through
 * {@link #add}, are buffered up to one shard ({@code maxShardBytes} of tensor data) and written shard by
 * shard, so the whole model is never in memory. {@link #close()} writes the last shard and, when there was
 * more than one, renames the shards to {@code model-0000i-of-0000N.safetensors} and writes
 * {@code model.safetensors.index.json} last; a checkpoint that fits one shard becomes
 * {@code model.safetensors}. Every file appears atomically; when any step fails, the files written so far
 * are deleted and nothing remains under the final names.
 */
public final class CheckpointWriter implements AutoCloseable {
  private CheckpointWriter() {}

  /**
   * Starts a checkpoint in {@code directory} (created when missing).
   *
   * @param maxShardBytes the most tensor bytes in one shard; a single larger tensor gets a shard of its own
   */
  public static CheckpointWriter open(Path directory, long maxShardBytes) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Adds a tensor. Its bytes are copied (the caller may reuse or free the source afterwards); a full shard is
   * written before the call returns.
   *
   * @throws IllegalArgumentException when the name was added before
   * @throws IOException when writing a full shard fails (the writer is then aborted)
   */
  public void add(TensorView tensor) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Writes the remaining shard and the index. After a failure nothing remains under the final names.
   */
  @Override
  public void close() throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** Gives up: deletes every file written so far. */
  public void abort() {
    throw new UnsupportedOperationException("not yet");
  }
}
