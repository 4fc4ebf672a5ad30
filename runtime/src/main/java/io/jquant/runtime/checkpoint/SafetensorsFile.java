package io.jquant.runtime.checkpoint;

import io.jquant.runtime.checkpoint.SafetensorsHeader.Entry;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped, validated safetensors file (docs/FORMATS.md §6). {@link #open} maps the whole file
 * without copying it and checks the header as the reference reader does; {@link #tensor} hands out read-only
 * slices of the mapping. Only the header is read at open: the OS pages tensor bytes in when they are first
 * touched, so a file larger than the heap opens in milliseconds and its bytes never pass through the Java
 * heap.
 *
 * <p>The views stay valid until {@link #close()}; touching one afterwards throws
 * {@link IllegalStateException}. A file is safe to read from several threads (the mapping's arena is shared).
 */
public final class SafetensorsFile implements AutoCloseable {
  private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED
      .withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Path path;
  private final Arena arena;
  private final MemorySegment mapping;
  private final long dataStart;
  private final Map<String, String> metadata;
  private final List<String> names;
  private final Map<String, Entry> entries;

  private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, long dataStart,
      SafetensorsHeader header) {
    this.path = path;
    this.arena = arena;
    this.mapping = mapping;
    this.dataStart = dataStart;
    this.metadata = header.metadata();
    this.names = header.entries().stream().map(Entry::name).toList();
    this.entries = new HashMap<>();
    for (Entry entry : header.entries()) {
      entries.put(entry.name(), entry);
    }
  }

  /**
   * Maps and validates {@code file}.
   *
   * @throws SafetensorsException naming the file, the tensor and the byte offset when the header breaks a
   * rule of the format
   * @throws IOException when the file cannot be read
   */
  public static SafetensorsFile open(Path file) throws IOException {
    String name = file.toString();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < SafetensorsHeader.LENGTH_BYTES) {
        throw SafetensorsHeader.error(name, "the file has " + size
            + " bytes, fewer than the 8-byte header length that starts a safetensors file", 0);
      }
      Arena arena = Arena.ofShared();
      try {
        // The mapping outlives the channel; it is released when the arena closes.
        MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        long headerBytes = mapping.get(U64_LE, 0);
        // A u64 above 2^63 - 1 reads as negative: it is over the cap too.
        if (headerBytes < 0 || headerBytes > SafetensorsHeader.MAX_HEADER_BYTES) {
          throw SafetensorsHeader.error(name, "header length " + Long.toUnsignedString(headerBytes)
              + " is over the " + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit", 0);
        }
        long dataStart = SafetensorsHeader.LENGTH_BYTES + headerBytes;
        if (dataStart > size) {
          throw SafetensorsHeader.error(name, "header length " + headerBytes + " runs past the end of the "
              + size + "-byte file", 0);
        }
        byte[] header = mapping.asSlice(SafetensorsHeader.LENGTH_BYTES, headerBytes)
            .toArray(ValueLayout.JAVA_BYTE);
        SafetensorsHeader parsed = SafetensorsHeader.parse(name, header, size - dataStart);
        return new SafetensorsFile(file, arena, mapping, dataStart, parsed);
      } catch (IOException | RuntimeException | Error e) {
        arena.close();
        throw e;
      }
    }
  }

  /** The file this was opened from. */
  public Path path() {
    return path;
  }

  /** The header's {@code __metadata__} map (string to string), empty when there is none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor names in data-offset order (the order of their bytes in the file). */
  public List<String> tensorNames() {
    return names;
  }

  /** Whether the file holds a tensor of this name. */
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /**
   * The named tensor: a read-only slice of the mapping, no copy.
   *
   * @throws IllegalArgumentException naming the file and the name when there is no such tensor
   */
  public TensorView tensor(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(path + ": no tensor '" + name + "'");
    }
    MemorySegment data = mapping.asSlice(dataStart + entry.begin(), entry.end() - entry.begin());
    return new TensorView(name, entry.dtype(), entry.shape(), data);
  }

  /** The byte offset in the file where the data buffer starts: 8 + the header length. */
  public long dataStart() {
    return dataStart;
  }

  /** The file's size in bytes. */
  public long byteSize() {
    return mapping.byteSize();
  }

  /** Unmaps the file; views handed out before become inaccessible. Closing twice does nothing. */
  @Override
  public void close() {
    if (arena.scope().isAlive()) {
      arena.close();
    }
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + path + ", " + names.size() + " tensors]";
  }
}
