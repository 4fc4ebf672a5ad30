package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.tensor.StoredTensor;
import io.jquant.runtime.tensor.TensorView;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming directory writer against the sharded fixture, and its all-or-nothing behaviour. */
class CheckpointWriterTest {
  @TempDir
  Path dir;

  /** The order in which make_safetensors_fixtures.py streams the sharded fixture's tensors. */
  private static final List<String> STREAM = List.of("model.embed.weight", "model.layers.0.weight",
      "model.layers.0.weight_scale", "model.layers.1.weight", "model.layers.1.scales", "lm_head.weight");

  private static final List<String> SHARD_FILES = List.of("model-00001-of-00003.safetensors",
      "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", "model.safetensors.index.json");

  @Test
  void shardsAndIndexAreByteIdenticalToThePythonOnes() throws IOException {
    Path out = dir.resolve("out");
    try (Checkpoint source = Checkpoint.open(Fixtures.path("sharded"));
        CheckpointWriter writer = CheckpointWriter.open(out, 64, Map.of("format", "pt"))) {
      for (String name : STREAM) {
        writer.add(source.tensor(name)); // mapped views: the writer copies what it keeps
      }
    }
    assertEquals(SHARD_FILES.stream().map(out::resolve).toList(), SafetensorsWriterTest.listing(out));
    for (String file : SHARD_FILES) {
      assertArrayEquals(Files.readAllBytes(Fixtures.path("sharded/" + file)),
          Files.readAllBytes(out.resolve(file)), file);
    }
  }

  @Test
  void adoptedTensorsGiveTheSameShardsAndAreNotCopied() throws IOException {
    Path out = dir.resolve("out");
    try (Checkpoint source = Checkpoint.open(Fixtures.path("sharded"));
        CheckpointWriter writer = CheckpointWriter.open(out, 64, Map.of("format", "pt"))) {
      for (String name : STREAM) {
        writer.adopt(source.tensor(name)); // the mapping outlives the writer: kept as it is
      }
    }
    for (String file : SHARD_FILES) {
      assertArrayEquals(Files.readAllBytes(Fixtures.path("sharded/" + file)),
          Files.readAllBytes(out.resolve(file)), file);
    }
    // Kept, not copied: a change before close reaches the file.
    byte[] bytes = { 1, 2 };
    Path single = dir.resolve("single");
    try (CheckpointWriter writer = CheckpointWriter.open(single, 1 << 20)) {
      writer.adopt(StoredTensor.of("a", StorageDType.U8, bytes, 2).view());
      bytes[1] = 9;
    }
    try (Checkpoint checkpoint = Checkpoint.open(single)) {
      assertArrayEquals(new byte[] { 1, 9 }, checkpoint.tensor("a").data().toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void oneShardBecomesModelSafetensorsAndStaleFilesGo() throws IOException {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    for (String stale : SHARD_FILES) {
      Files.writeString(out.resolve(stale), "stale");
    }
    Files.writeString(out.resolve("config.json"), "{}");
    try (CheckpointWriter writer = CheckpointWriter.open(out, 1 << 20)) {
      writer.add(StoredTensor.of("b", StorageDType.F32, new byte[] { 0, 0, (byte) 0x80, 0x3f }, 1).view());
      writer.add(StoredTensor.of("a", StorageDType.U8, new byte[] { 7, 8 }, 2).view());
    }
    assertEquals(List.of(out.resolve("config.json"), out.resolve("model.safetensors")),
        SafetensorsWriterTest.listing(out));
    try (Checkpoint checkpoint = Checkpoint.open(out)) {
      assertEquals(List.of("a", "b"), checkpoint.tensorNames());
      assertArrayEquals(new byte[] { 7, 8 }, checkpoint.tensor("a").data().toArray(ValueLayout.JAVA_BYTE));
      assertEquals(Map.of(), checkpoint.metadata());
    }
  }

  @Test
  void aTensorLargerThanTheLimitGetsItsOwnShard() throws IOException {
    Path out = dir.resolve("out");
    try (CheckpointWriter writer = CheckpointWriter.open(out, 4)) {
      writer.add(StoredTensor.of("small", StorageDType.U8, new byte[2], 2).view());
      writer.add(StoredTensor.of("big", StorageDType.U8, new byte[9], 9).view());
      writer.add(StoredTensor.of("tail", StorageDType.U8, new byte[1], 1).view());
    }
    try (Checkpoint checkpoint = Checkpoint.open(out)) {
      assertEquals(out.resolve("model-00001-of-00003.safetensors"), checkpoint.fileOf("small"));
      assertEquals(out.resolve("model-00002-of-00003.safetensors"), checkpoint.fileOf("big"));
      assertEquals(out.resolve("model-00003-of-00003.safetensors"), checkpoint.fileOf("tail"));
      assertEquals(Map.of("total_size", "12"), checkpoint.metadata());
    }
  }

  @Test
  void aFailureAfterAShardWasWrittenLeavesNothing() throws IOException {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Arena closed = Arena.ofShared();
    MemorySegment gone = closed.allocate(4);
    closed.close();
    CheckpointWriter writer = CheckpointWriter.open(out, 4);
    writer.add(StoredTensor.of("a", StorageDType.U8, new byte[4], 4).view());
    writer.add(StoredTensor.of("b", StorageDType.U8, new byte[4], 4).view()); // shard 1 written (pending)
    assertEquals(1, SafetensorsWriterTest.listing(out).size());
    assertThrows(IllegalStateException.class,
        () -> writer.add(new TensorView("c", StorageDType.F32, List.of(1L), gone)));
    assertEquals(List.of(), SafetensorsWriterTest.listing(out));
    IllegalStateException closedError = assertThrows(IllegalStateException.class,
        () -> writer.add(StoredTensor.of("d", StorageDType.U8, new byte[1], 1).view()));
    assertEquals(out + ": the checkpoint writer is closed", closedError.getMessage());
    writer.close(); // nothing to do after a failure
    assertEquals(List.of(), SafetensorsWriterTest.listing(out));
  }

  @Test
  void aFailureWhileClosingLeavesNothingUnderTheFinalNames() throws IOException {
    Path out = dir.resolve("out");
    CheckpointWriter writer = CheckpointWriter.open(out, 4);
    writer.add(StoredTensor.of("a", StorageDType.U8, new byte[4], 4).view());
    writer.add(StoredTensor.of("b", StorageDType.U8, new byte[4], 4).view());
    // The index name is taken by a directory: its atomic move fails after both shards got their final names.
    Files.createDirectories(out.resolve(Checkpoint.INDEX_FILE).resolve("blocker"));
    assertThrows(IOException.class, writer::close);
    assertEquals(List.of(out.resolve(Checkpoint.INDEX_FILE)), SafetensorsWriterTest.listing(out));
  }

  @Test
  void refusesANameTwiceAndABadLimit() throws IOException {
    try (CheckpointWriter writer = CheckpointWriter.open(dir, 10)) {
      TensorView a = StoredTensor.of("a", StorageDType.U8, new byte[1], 1).view();
      writer.add(a);
      assertEquals(dir + ": tensor 'a' is added twice",
          assertThrows(IllegalArgumentException.class, () -> writer.add(a)).getMessage());
    }
    assertEquals("maxShardBytes must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> CheckpointWriter.open(dir, 0)).getMessage());
  }

  @Test
  void addCopiesSoTheCallerMayReuseItsBuffer() throws IOException {
    byte[] reused = { 1, 2, 3 };
    List<String> names = new ArrayList<>();
    try (CheckpointWriter writer = CheckpointWriter.open(dir, 100)) {
      for (int i = 0; i < 3; i++) {
        reused[0] = (byte) i;
        names.add("t" + i);
        writer.add(StoredTensor.of("t" + i, StorageDType.U8, reused, 3).view());
      }
    }
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(new byte[] { (byte) i, 2, 3 },
            checkpoint.tensor(names.get(i)).data().toArray(ValueLayout.JAVA_BYTE));
      }
    }
  }
}
