package io.jquant.runtime.checkpoint;

import io.jquant.config.fuzz.Mutator;
import io.jquant.config.tensor.StorageDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Valid safetensors files for the fuzz tests to mutate: the committed fixtures and a few edge layouts. */
final class SafetensorsSeeds {
  private SafetensorsSeeds() {}

  /** The words of a safetensors header, for the mutator's dictionary. */
  static List<String> dictionary() {
    List<String> words = new ArrayList<>(List.of("dtype", "shape", "data_offsets", "__metadata__", "format",
        "pt", "weight", "model.layers.0.weight", "a", "b"));
    Arrays.stream(StorageDType.values()).forEach(t -> words.add(t.code()));
    words.addAll(List.of("F8_E4M3FN", "f32", "BF8", ""));
    return words;
  }

  static List<byte[]> all() {
    List<byte[]> seeds = new ArrayList<>();
    for (String name : List.of("all_dtypes.safetensors", "empty.safetensors", "metadata_multi.safetensors",
        "names.safetensors", "sharded/model-00001-of-00003.safetensors",
        "sharded/model-00002-of-00003.safetensors", "sharded/model-00003-of-00003.safetensors")) {
      try {
        seeds.add(Files.readAllBytes(Fixtures.path(name)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // Sub-byte and empty tensors, a scalar, two empty tensors at one offset, a tensor past 2^31 elements of
    // nothing (a zero dimension), padding inside the header.
    seeds.add(file("{\"f4\":{\"dtype\":\"F4\",\"shape\":[2,3],\"data_offsets\":[0,3]},"
        + "\"f6\":{\"dtype\":\"F6_E2M3\",\"shape\":[4],\"data_offsets\":[3,6]}}", 6));
    seeds.add(file("{\"__metadata__\":{\"k\":\"v\"},"
        + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
        + "\"e1\":{\"dtype\":\"BF16\",\"shape\":[0],\"data_offsets\":[8,8]},"
        + "\"e2\":{\"dtype\":\"I64\",\"shape\":[4294967296,0],\"data_offsets\":[8,8]},"
        + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[1,1,1,1,3],\"data_offsets\":[8,11]}}       ", 11));
    seeds.add(file("{}", 0));
    return seeds;
  }

  /** A file of {@code header} and {@code dataBytes} bytes of counting data. */
  static byte[] file(String header, int dataBytes) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    byte[] data = new byte[dataBytes];
    for (int i = 0; i < dataBytes; i++) {
      data[i] = (byte) i;
    }
    return Mutator.concat(withLength(json), data);
  }

  /** The 8-byte little-endian length and then {@code header}. */
  static byte[] withLength(byte[] header) {
    return Mutator.concat(u64(header.length), header);
  }

  static byte[] u64(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  /** The header length a file's first 8 bytes give (the file is at least 8 bytes). */
  static long headerLength(byte[] file) {
    return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
