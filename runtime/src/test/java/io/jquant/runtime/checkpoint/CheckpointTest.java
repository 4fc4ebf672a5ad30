package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three layouts, and every way an index can disagree with its shards. */
class CheckpointTest {
  @TempDir
  Path dir;

  private static final List<String> SHARDED_NAMES = List.of("lm_head.weight", "model.embed.weight",
      "model.layers.0.weight", "model.layers.0.weight_scale", "model.layers.1.scales",
      "model.layers.1.weight");

  /** A copy of the sharded fixture that a test may break. */
  private Path sharded() throws IOException {
    Path copy = dir.resolve("sharded");
    Files.createDirectories(copy);
    try (var files = Files.list(Fixtures.path("sharded"))) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return copy;
  }

  private static String index(String weightMap) {
    return "{\"metadata\": {\"total_size\": 160}, \"weight_map\": {" + weightMap + "}}";
  }

  @Test
  void shardedThroughTheIndex() throws Exception {
    Map<String, Fixtures.File> expected = Fixtures.expected();
    try (Checkpoint checkpoint = Checkpoint.open(Fixtures.path("sharded"))) {
      assertEquals(SHARDED_NAMES, checkpoint.tensorNames());
      assertEquals(Map.of("total_size", "160"), checkpoint.metadata());
      assertEquals(3, checkpoint.files().size());
      for (int i = 1; i <= 3; i++) {
        String shard = "sharded/model-0000" + i + "-of-00003.safetensors";
        for (Fixtures.Tensor tensor : expected.get(shard).tensors()) {
          assertEquals(Fixtures.path(shard), checkpoint.fileOf(tensor.name()));
          assertArrayEquals(tensor.bytes(),
              checkpoint.tensor(tensor.name()).data().toArray(ValueLayout.JAVA_BYTE), tensor.name());
        }
      }
      assertFalse(checkpoint.contains("nope"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> checkpoint.tensor("x"));
      assertEquals(Fixtures.path("sharded") + ": the checkpoint has no tensor 'x'", e.getMessage());
      assertEquals(Optional.empty(), checkpoint.configJson());
    }
  }

  @Test
  void aSingleFileAndADirectoryWithModelSafetensors() throws Exception {
    try (Checkpoint file = Checkpoint.open(Fixtures.path("all_dtypes.safetensors"))) {
      assertEquals(Fixtures.dir(), file.root());
      assertEquals(Map.of("format", "pt"), file.metadata());
      assertEquals(file.tensorNames().stream().sorted().toList(), file.tensorNames());
      assertEquals(22, file.tensorNames().size());
    }
    Files.copy(Fixtures.path("names.safetensors"), dir.resolve("model.safetensors"));
    Files.writeString(dir.resolve("config.json"), "{}");
    try (Checkpoint directory = Checkpoint.open(dir)) {
      assertEquals(dir, directory.root());
      assertEquals(List.of(dir.resolve("model.safetensors")), directory.files());
      assertTrue(directory.contains("new\nline"));
      assertEquals(Optional.of(dir.resolve("config.json")), directory.configJson());
    }
  }

  @Test
  void theSingleFileWinsOverAnIndexAsInTransformers() throws Exception {
    Path copy = sharded();
    Files.copy(Fixtures.path("names.safetensors"), copy.resolve("model.safetensors"));
    try (Checkpoint checkpoint = Checkpoint.open(copy)) {
      assertEquals(List.of(copy.resolve("model.safetensors")), checkpoint.files());
    }
  }

  @Test
  void layoutErrors() throws IOException {
    assertEquals(dir + ": a checkpoint directory needs model.safetensors or model.safetensors.index.json;"
        + " it has neither",
        assertThrows(SafetensorsException.class, () -> Checkpoint.open(dir)).getMessage());
    assertThrows(NoSuchFileException.class, () -> Checkpoint.open(dir.resolve("missing")));
  }

  @Test
  void aNameThatIsNoFileIsReportedAsWhatItIs() throws IOException {
    Path loop = Files.createDirectories(dir.resolve("loop"));
    Files.createSymbolicLink(loop.resolve("model.safetensors"), Path.of("model.safetensors"));
    Path dangling = Files.createDirectories(dir.resolve("dangling"));
    Files.createSymbolicLink(dangling.resolve("model.safetensors.index.json"), Path.of("gone.json"));
    Path directory = Files.createDirectories(dir.resolve("directory/model.safetensors"));
    Path self = Files.createSymbolicLink(dir.resolve("self.safetensors"), Path.of("self.safetensors"));

    FileSystemException looping = assertThrows(FileSystemException.class, () -> Checkpoint.open(loop));
    assertEquals(loop.resolve("model.safetensors").toString(), looping.getFile());
    assertTrue(looping.getReason().startsWith("Too many levels of symbolic links"), looping.getReason());
    NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> Checkpoint.open(dangling));
    assertEquals(dangling.resolve("model.safetensors.index.json").toString(), missing.getFile());
    assertEquals(directory + ": a directory, not a safetensors file",
        assertThrows(SafetensorsException.class, () -> Checkpoint.open(directory.getParent())).getMessage());
    FileSystemException selfLoop = assertThrows(FileSystemException.class, () -> Checkpoint.open(self));
    assertEquals(self.toString(), selfLoop.getFile());
    assertTrue(selfLoop.getReason().startsWith("Too many levels of symbolic links"), selfLoop.getReason());
  }

  @Test
  void indexErrors() throws IOException {
    Path copy = sharded();
    Path index = copy.resolve(Checkpoint.INDEX_FILE);
    String s1 = "model-00001-of-00003.safetensors";
    String s2 = "model-00002-of-00003.safetensors";
    String s3 = "model-00003-of-00003.safetensors";
    String rest = "\"model.layers.0.weight\": \"" + s1 + "\", \"model.layers.0.weight_scale\": \"" + s1
        + "\", \"model.layers.1.scales\": \"" + s2 + "\", \"model.layers.1.weight\": \"" + s2
        + "\", \"lm_head.weight\": \"" + s3 + "\"";

    Files.writeString(index, index("\"model.embed.weight\": \"model-00009-of-00009.safetensors\", " + rest));
    assertEquals(index + ": weight_map puts tensor 'model.embed.weight' in"
        + " 'model-00009-of-00009.safetensors', which is not a file in " + copy, refused(copy));

    Files.writeString(index, index("\"model.embed.weight\": \"../sharded/" + s1 + "\", " + rest));
    assertEquals(index + ": weight_map puts tensor 'model.embed.weight' in '../sharded/" + s1
        + "', which is not a file in " + copy, refused(copy));

    Files.writeString(index, index("\"model.embed.weight\": \"" + s2 + "\", " + rest));
    assertEquals(index + ": weight_map puts tensor 'model.embed.weight' in '" + s2
        + "', which does not hold it", refused(copy));

    // Found by ShardedCheckpointFuzzTest: a NUL in a shard name threw InvalidPathException from Path.resolve.
    Files.writeString(index, index("\"model.embed.weight\": \"" + s1 + "\\u0000\", " + rest));
    assertEquals(index + ": weight_map puts tensor 'model.embed.weight' in '" + s1
        + "\\u0000', which is not a file name here: Nul character not allowed", refused(copy));

    Files.writeString(index, index(rest));
    assertEquals(index + ": tensor 'model.embed.weight' is in '" + s1 + "' but not in weight_map",
        refused(copy));

    Files.writeString(index, index("\"model.embed.weight\": \"" + s1 + "\", \"model.embed.weight\": \"" + s1
        + "\", " + rest));
    assertTrue(refused(copy).startsWith(index + ": not valid JSON: Duplicate key"), refused(copy));

    Files.writeString(index, "{\"metadata\": {}}");
    assertEquals(index + ": no weight_map object", refused(copy));

    // A tensor in two shards: shard 3 rewritten to also hold model.layers.1.scales.
    Files.writeString(index, index("\"model.embed.weight\": \"" + s1 + "\", " + rest));
    try (SafetensorsFile two = SafetensorsFile.open(copy.resolve(s2));
        SafetensorsFile three = SafetensorsFile.open(copy.resolve(s3))) {
      SafetensorsWriter.write(dir.resolve("three"), List.of(three.tensor("lm_head.weight"),
          two.tensor("model.layers.1.scales")), Map.of());
    }
    Files.move(dir.resolve("three"), copy.resolve(s3), StandardCopyOption.REPLACE_EXISTING);
    assertEquals(index + ": tensor 'model.layers.1.scales' is in '" + s3 + "' but weight_map puts it in '"
        + s2 + "' (a tensor in two shards)", refused(copy));
  }

  private static String refused(Path directory) {
    return assertThrows(SafetensorsException.class, () -> Checkpoint.open(directory).close()).getMessage();
  }
}
