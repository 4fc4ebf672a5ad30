package io.jquant.runtime.checkpoint;

import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes one safetensors file byte for byte as the reference writer ({@code safetensors.torch.save_file},
 * Rust {@code serialize_to_file}) does: tensors ordered by descending dtype (the order of
 * {@link io.jquant.config.tensor.StorageDType}, the reference's {@code Dtype} enum) then by name in UTF-8
 * byte order; the header compact JSON padded with spaces to a multiple of 8. The file appears atomically: it
 * is written to a temporary file in the same directory and renamed into place; on any failure the temporary
 * file is deleted and nothing new exists under the final name.
 */
public final class SafetensorsWriter {
  /** The most bytes handed to one channel write (a ByteBuffer holds at most 2^31 - 1). */
  private static final long CHUNK = 1L << 26;

  private SafetensorsWriter() {}

  /**
   * Writes {@code tensors} to {@code file}, replacing it.
   *
   * @param metadata the {@code __metadata__} map, written with its keys sorted (the reference writes a Rust
   * {@code HashMap} in no fixed order); null or empty for none, as {@code save_file(tensors)} writes
   * @throws IllegalArgumentException when two tensors share a name or a name is not valid Unicode
   * @throws IOException when writing fails; nothing new is left under {@code file} (an older file there
   * stays) nor a temporary file
   */
  public static void write(Path file, List<TensorView> tensors, Map<String, String> metadata)
      throws IOException {
    List<TensorView> ordered = fileOrder(tensors);
    boolean none = metadata == null || metadata.isEmpty();
    byte[] header = HeaderJson.of(ordered, none ? null : new TreeMap<>(metadata));
    if (header.length > SafetensorsHeader.MAX_HEADER_BYTES) {
      throw new IllegalArgumentException(file + ": the header would take " + header.length
          + " bytes, over the readers' limit of " + SafetensorsHeader.MAX_HEADER_BYTES);
    }
    AtomicFiles.write(file, channel -> {
      ByteBuffer length = ByteBuffer.allocate(SafetensorsHeader.LENGTH_BYTES)
          .order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
      AtomicFiles.writeFully(channel, length);
      AtomicFiles.writeFully(channel, ByteBuffer.wrap(header));
      for (TensorView tensor : ordered) {
        MemorySegment data = tensor.data();
        for (long at = 0; at < data.byteSize(); at += CHUNK) {
          long chunk = Math.min(CHUNK, data.byteSize() - at);
          AtomicFiles.writeFully(channel, data.asSlice(at, chunk).asByteBuffer());
        }
      }
    });
  }

  /** The reference writer's order: descending dtype, then name by UTF-8 bytes (Rust's String order). */
  static List<TensorView> fileOrder(List<TensorView> tensors) {
    Set<String> names = new HashSet<>();
    List<TensorView> ordered = new ArrayList<>(tensors.size());
    for (TensorView tensor : tensors) {
      if (!names.add(tensor.name())) {
        throw new IllegalArgumentException("tensor '" + tensor.name() + "' is given twice");
      }
      ordered.add(tensor);
    }
    Comparator<TensorView> byDtype = Comparator.comparing(TensorView::dtype, Comparator.reverseOrder());
    ordered.sort(byDtype.thenComparing((a, b) -> Arrays.compareUnsigned(
        a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8))));
    return ordered;
  }
}
