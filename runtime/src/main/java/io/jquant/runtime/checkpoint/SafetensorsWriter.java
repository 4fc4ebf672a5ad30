package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one safetensors file byte for byte as the reference writer ({@code safetensors.torch.save_file})
 * does: tensors ordered by descending dtype then name, the header JSON compact and padded with spaces to a
 * multiple of 8. The file appears atomically: it is written to a temporary file in the same directory and
 * moved into place; on any failure the temporary file is deleted and nothing exists under the final name.
 */
public final class SafetensorsWriter {
  private SafetensorsWriter() {}

  /**
   * Writes {@code tensors} with the optional {@code metadata} ({@code __metadata__}; empty map = none) to
   * {@code file}, replacing it.
   *
   * @throws IllegalArgumentException when two tensors share a name
   * @throws IOException when writing fails; nothing is left under {@code file} nor a temporary file
   */
  public static void write(Path file, List<TensorView> tensors, Map<String, String> metadata)
      throws IOException {
    throw new UnsupportedOperationException("not yet");
  }
}
