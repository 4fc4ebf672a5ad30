package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer against the Python writer's files, and its all-or-nothing behaviour. */
class SafetensorsWriterTest {
  @TempDir
  Path dir;

  /** The fixture's tensors as heap copies, in reverse name order so that the writer must sort them. */
  private static List<TensorView> tensorsOf(String fixture) throws IOException {
    List<TensorView> tensors = new ArrayList<>();
    try (SafetensorsFile file = SafetensorsFile.open(Fixtures.path(fixture))) {
      for (String name : file.tensorNames()) {
        TensorView view = file.tensor(name);
        tensors.add(new StoredTensor(name, view.dtype(), view.shape(),
            view.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).view());
      }
    }
    tensors.sort((a, b) -> b.name().compareTo(a.name()));
    return tensors;
  }

  private void assertSameBytes(String fixture, Map<String, String> metadata) throws IOException {
    Path out = dir.resolve(fixture.replace('/', '_'));
    SafetensorsWriter.write(out, tensorsOf(fixture), metadata);
    assertArrayEquals(Files.readAllBytes(Fixtures.path(fixture)), Files.readAllBytes(out), fixture);
  }

  @Test
  void byteIdenticalToSaveFile() throws IOException {
    // Every dtype, a scalar, an empty tensor, {"format": "pt"}: order by descending dtype then name.
    assertSameBytes("all_dtypes.safetensors", Map.of("format", "pt"));
    // JSON escapes as serde_json writes them, and names ordered by UTF-8 bytes (the emoji after U+FFFF).
    assertSameBytes("names.safetensors", Map.of());
    // No tensors at all: "{}" and six spaces, the reference's own test_empty.
    assertSameBytes("empty.safetensors", null);
    assertArrayEquals(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ' },
        Files.readAllBytes(Fixtures.path("empty.safetensors")));
    for (int i = 1; i <= 3; i++) {
      assertSameBytes("sharded/model-0000" + i + "-of-00003.safetensors", Map.of("format", "pt"));
    }
  }

  @Test
  void severalMetadataKeysAreWrittenSortedAndReadBackEqual() throws IOException {
    // The reference writes a HashMap in no fixed order, so its file is not a byte reference; jquant sorts.
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("producer", "jquant fixtures");
    metadata.put("format", "pt");
    metadata.put("note", "café \"quoted\"");
    Path out = dir.resolve("multi.safetensors");
    SafetensorsWriter.write(out, tensorsOf("metadata_multi.safetensors"), metadata);
    byte[] bytes = Files.readAllBytes(out);
    String header = new String(bytes, 8, bytes.length - 12, java.nio.charset.StandardCharsets.UTF_8);
    assertEquals("{\"__metadata__\":{\"format\":\"pt\",\"note\":\"café \\\"quoted\\\"\","
        + "\"producer\":\"jquant fixtures\"},"
        + "\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}   ", header);
    try (SafetensorsFile written = SafetensorsFile.open(out);
        SafetensorsFile python = SafetensorsFile.open(Fixtures.path("metadata_multi.safetensors"))) {
      assertEquals(python.metadata(), written.metadata());
      assertEquals(python.byteSize(), written.byteSize());
    }
  }

  @Test
  void aSourceThatFailsLeavesNothingAndKeepsTheOldFile() throws IOException {
    Path out = dir.resolve("model.safetensors");
    Files.writeString(out, "old");
    Arena closed = Arena.ofShared();
    MemorySegment gone = closed.allocate(4);
    closed.close();
    List<TensorView> tensors = List.of(
        StoredTensor.of("a", StorageDType.F32, new byte[4], 1).view(),
        new TensorView("b", StorageDType.F32, List.of(1L), gone));
    assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(out, tensors, Map.of()));
    assertEquals("old", Files.readString(out));
    assertEquals(List.of(out), listing(dir));
  }

  @Test
  void anUnwritableDirectoryLeavesNothing() throws IOException {
    Path notADirectory = dir.resolve("file");
    Files.writeString(notADirectory, "x");
    Path out = notADirectory.resolve("model.safetensors");
    assertThrows(IOException.class, () -> SafetensorsWriter.write(out,
        List.of(StoredTensor.of("a", StorageDType.U8, new byte[1], 1).view()), Map.of()));
    assertEquals(List.of(notADirectory), listing(dir));
  }

  @Test
  void refusesTwoTensorsOfOneNameBeforeWriting() {
    TensorView a = StoredTensor.of("a", StorageDType.U8, new byte[1], 1).view();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafetensorsWriter.write(dir.resolve("x.safetensors"), List.of(a, a), Map.of()));
    assertEquals("tensor 'a' is given twice", e.getMessage());
    assertFalse(Files.exists(dir.resolve("x.safetensors")));
  }

  @Test
  void writtenFilesGetTheUsualPermissionsNotATempFilesOwnerOnly() throws IOException {
    Path out = dir.resolve("perm.safetensors");
    Path plain = dir.resolve("plain");
    Files.createFile(plain);
    SafetensorsWriter.write(out, List.of(), Map.of());
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
  }

  static List<Path> listing(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> sorted = new ArrayList<>(files.toList());
      Collections.sort(sorted);
      return sorted;
    }
  }
}
