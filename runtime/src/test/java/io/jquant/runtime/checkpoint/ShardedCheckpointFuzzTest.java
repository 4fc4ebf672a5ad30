package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import io.jquant.config.fuzz.FuzzRun;
import io.jquant.config.fuzz.JsonText;
import io.jquant.config.fuzz.Mutator;
import io.jquant.config.fuzz.ScratchDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of {@link Checkpoint#open} on a sharded directory ({@code model.safetensors.index.json}
 * and its shards, {@link ShardIndex}): the committed {@code sharded/} fixture with its index mutated as a
 * JSON tree (shard names that lead out of the directory, name the index itself, hold NUL or other characters
 * a path refuses; tensors moved, dropped or added), as tokens and as bytes, or one shard's bytes mutated.
 * Every case either opens, with every tensor readable from the shard the index names, or throws a
 * {@link SafetensorsException} whose message starts with the index's or a shard's path.
 */
class ShardedCheckpointFuzzTest {
  private static final List<String> SHARDS = List.of("model-00001-of-00003.safetensors",
      "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors");

  @TempDir
  static Path dir;

  private static final Map<String, byte[]> FIXTURE = fixture();

  private static Map<String, byte[]> fixture() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try {
      files.put(Checkpoint.INDEX_FILE, Files.readAllBytes(Fixtures.path("sharded/" + Checkpoint.INDEX_FILE)));
      for (String shard : SHARDS) {
        files.put(shard, Files.readAllBytes(Fixtures.path("sharded/" + shard)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static List<String> dictionary() {
    List<String> words = new ArrayList<>(SHARDS);
    words.addAll(List.of("weight_map", "metadata", "total_size", Checkpoint.INDEX_FILE,
        Checkpoint.SINGLE_FILE,
        "./model-00001-of-00003.safetensors", "../sharded/model-00001-of-00003.safetensors",
        "model-00001-of-00003.safetensors/", "/model-00002-of-00003.safetensors", "sub/x.safetensors",
        "model-00004-of-00003.safetensors", "model-00001-of-00003.safetensors\u0000", "\u0000", "",
        "lm_head.weight", "model.embed.weight", "model.layers.0.weight", "model.layers.0.weight_scale",
        "model.layers.1.scales", "model.layers.1.weight"));
    return words;
  }

  @Test
  void mutatedIndexesAndShardsOpenOrAreRefusedNamingTheFile() {
    try (ScratchDir scratch = ScratchDir.create(dir)) {
      fuzz(scratch.path());
    }
  }

  private static void fuzz(Path root) {
    try {
      for (Map.Entry<String, byte[]> file : FIXTURE.entrySet()) {
        Files.write(root.resolve(file.getKey()), file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Each case rewrites one file and puts it back afterwards.
    FuzzRun.run("Checkpoint sharded", 0x5A4D_0001L, 3000, dictionary(), (m, input) -> {
      String target = m.nextInt(5) == 0 ? m.pick(SHARDS) : Checkpoint.INDEX_FILE;
      byte[] original = FIXTURE.get(target);
      byte[] mutated = switch (m.nextInt(target.equals(Checkpoint.INDEX_FILE) ? 4 : 1)) {
        case 0 -> m.mutateBytes(original);
        case 1 -> m.mutateJsonText(new String(original, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
        default -> JsonText.write(m.mutateTree(JSON.std.anyFrom(original))).getBytes(StandardCharsets.UTF_8);
      };
      Files.write(root.resolve(target), mutated);
      input.set(root.resolve(target).toString(), mutated);
      try (Checkpoint checkpoint = Checkpoint.open(root)) {
        for (String name : checkpoint.tensorNames()) {
          byte[] bytes = checkpoint.tensor(name).data().toArray(ValueLayout.JAVA_BYTE);
          assertEquals(checkpoint.tensor(name).data().byteSize(), bytes.length);
          assertEquals(root, checkpoint.fileOf(name).getParent(), "a shard must be in the directory");
        }
      } finally {
        Files.write(root.resolve(target), original);
      }
    }, ShardedCheckpointFuzzTest::oracle);
  }

  /** A SafetensorsException naming the index or one of the shards (the mutated file or one it leads to). */
  static String oracle(Throwable thrown, FuzzRun.Input input) {
    if (!(thrown instanceof SafetensorsException) || thrown.getMessage() == null) {
      return "not a SafetensorsException with a message";
    }
    Path root = Path.of(input.name()).getParent();
    String message = thrown.getMessage();
    if (message.startsWith(root.resolve(Checkpoint.INDEX_FILE) + ": ")) {
      return null;
    }
    for (String shard : SHARDS) {
      if (message.startsWith(root.resolve(shard) + ": ")) {
        return null;
      }
    }
    return "the message names neither the index nor a shard";
  }
}
