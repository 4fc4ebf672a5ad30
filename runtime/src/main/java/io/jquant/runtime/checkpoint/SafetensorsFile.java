package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped, validated safetensors file (FORMATS.md §6). {@link #open} maps the whole file without
 * copying it (the OS pages bytes in on first touch, so files larger than the heap open in milliseconds) and
 * checks the header as the reference reader does; {@link #tensor} hands out slices of the mapping.
 *
 * <p>The views stay valid until {@link #close()}; touching one afterwards throws
 * {@link IllegalStateException}. A file is safe to read from several threads.
 */
public final class SafetensorsFile implements AutoCloseable {
  private SafetensorsFile() {}

  /**
   * Maps and validates {@code file}.
   *
   * @throws SafetensorsException naming the file, the tensor and the byte offset when the header breaks a
   *     rule of the format
   * @throws IOException when the file cannot be read
   */
  public static SafetensorsFile open(Path file) throws IOException {
    throw new UnsupportedOperationException("not yet");
  }

  /** The file this was opened from. */
  public Path path() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The header's {@code __metadata__} map (string to string), empty when there is none. */
  public Map<String, String> metadata() {
    throw new UnsupportedOperationException("not yet");
  }

  /** The tensor names in data-offset order (the order of their bytes in the file). */
  public List<String> tensorNames() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Whether the file holds a tensor of this name. */
  public boolean contains(String name) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * The named tensor: a read-only slice of the mapping, no copy.
   *
   * @throws IllegalArgumentException naming the file and the name when there is no such tensor
   */
  public TensorView tensor(String name) {
    throw new UnsupportedOperationException("not yet");
  }

  /** The byte offset in the file where the data buffer starts: 8 + the header length. */
  public long dataStart() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Unmaps the file; views handed out before become inaccessible. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("not yet");
  }
}
