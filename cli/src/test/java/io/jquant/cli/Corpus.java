package io.jquant.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The malformed inputs of the launcher tests, written byte by byte (not with the runtime's writer, which
 * would refuse to write most of them). Each file is a few hundred bytes at most.
 */
final class Corpus {
  /** One F32 [2, 2] tensor: 16 zero bytes. */
  static final String TENSOR = "{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";

  private Corpus() {}

  /** A safetensors file: the 8-byte little-endian header length, the header, the data. */
  static Path safetensors(Path file, String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return bytes(file, ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(json.length).put(json).array());
  }

  /** A file whose first 8 bytes claim a header of {@code claimed} bytes, followed by {@code rest}. */
  static Path headerLength(Path file, long claimed, String rest) throws IOException {
    byte[] tail = rest.getBytes(StandardCharsets.UTF_8);
    return bytes(file, ByteBuffer.allocate(8 + tail.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(claimed).put(tail).array());
  }

  static Path bytes(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  /**
   * A checkpoint directory: one valid tensor, {@code config} as config.json, and hf_quant_config.json if
   * given.
   */
  static Path checkpoint(Path dir, String config, String hfQuantConfig) throws IOException {
    safetensors(dir.resolve("model.safetensors"), TENSOR, 16);
    Files.writeString(dir.resolve("config.json"), config);
    if (hfQuantConfig != null) {
      Files.writeString(dir.resolve("hf_quant_config.json"), hfQuantConfig);
    }
    return dir;
  }
}
