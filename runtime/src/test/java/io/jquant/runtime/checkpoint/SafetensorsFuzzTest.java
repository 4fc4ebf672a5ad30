package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.jr.ob.JSON;
import io.jquant.config.fuzz.FuzzRun;
import io.jquant.config.fuzz.JsonText;
import io.jquant.config.fuzz.Mutator;
import io.jquant.config.fuzz.ScratchDir;
import io.jquant.runtime.tensor.TensorView;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of {@link SafetensorsFile#open} (and {@link Checkpoint#open} on a single file): valid
 * files with flipped, cut or spliced bytes, other header lengths, headers mutated as JSON trees or tokens
 * (offsets past the end or overlapping, dtypes and shapes that disagree, shapes whose product overflows a
 * long, duplicate keys, deep nesting) and data cut or extended. Every case either opens, and then every
 * tensor's bytes can be read and the tensors cover the data exactly, or throws a {@link SafetensorsException}
 * whose message names the file and ends with the byte offset of the fault.
 */
class SafetensorsFuzzTest {
  private static final List<byte[]> SEEDS = SafetensorsSeeds.all();
  private static final Pattern AT_BYTE = Pattern.compile("\\((?:at|near) byte (\\d+)\\)$");

  @TempDir
  static Path dir;

  @Test
  void mutatedFilesOpenOrAreRefusedNamingFileAndByte() {
    try (ScratchDir scratch = ScratchDir.create(dir)) {
      fuzzFiles(scratch.path().resolve("model.safetensors"));
    }
  }

  private static void fuzzFiles(Path file) {
    FuzzRun.run("SafetensorsFile", 0x5AFE_0001L, 6000, SafetensorsSeeds.dictionary(), (m, input) -> {
      byte[] bytes = mutate(m, m.pick(SEEDS));
      input.set(file.toString(), bytes);
      Files.write(file, bytes);
      if (m.oneIn(4)) {
        try (Checkpoint checkpoint = Checkpoint.open(file)) {
          checkpoint.tensorNames().forEach(name -> touch(checkpoint.tensor(name)));
        }
      } else {
        try (SafetensorsFile opened = SafetensorsFile.open(file)) {
          long covered = 0;
          for (String name : opened.tensorNames()) {
            covered += touch(opened.tensor(name));
          }
          assertEquals(opened.byteSize() - opened.dataStart(), covered, "the tensors must cover the data");
        }
      }
    }, SafetensorsFuzzTest::oracle);
  }

  @Test
  void mutatedHeadersParseOrAreRefusedNamingFileAndByte() {
    FuzzRun.run("SafetensorsHeader", 0x5AFE_0002L, 12_000, SafetensorsSeeds.dictionary(), (m, input) -> {
      byte[] bytes = mutate(m, m.pick(SEEDS));
      input.set("model.safetensors", bytes);
      long length = bytes.length < 8 ? -1 : SafetensorsSeeds.headerLength(bytes);
      if (length < 0 || length > bytes.length - 8) {
        return; // the length rules are SafetensorsFile.open's, fuzzed above
      }
      byte[] header = Arrays.copyOfRange(bytes, 8, 8 + (int) length);
      long dataBytes = bytes.length - 8 - length;
      SafetensorsHeader parsed = SafetensorsHeader.parse("model.safetensors", header, dataBytes);
      long covered = 0;
      for (SafetensorsHeader.Entry entry : parsed.entries()) {
        assertEquals(covered, entry.begin(), "entries must follow each other");
        covered = entry.end();
      }
      assertEquals(dataBytes, covered, "the entries must cover the data");
    }, SafetensorsFuzzTest::oracle);
  }

  /** One of five kinds of mutation, so that headers that still parse get as much attention as raw bytes. */
  private static byte[] mutate(Mutator m, byte[] seed) throws Exception {
    long headerLength = SafetensorsSeeds.headerLength(seed);
    byte[] header = Arrays.copyOfRange(seed, 8, 8 + (int) headerLength);
    byte[] data = Arrays.copyOfRange(seed, 8 + (int) headerLength, seed.length);
    return switch (m.nextInt(12)) {
      case 10, 11 -> {
        String json = JsonText.write(mutateEntry(m, JSON.std.anyFrom(header), data.length));
        yield Mutator.concat(SafetensorsSeeds.withLength(json.getBytes(StandardCharsets.UTF_8)), data);
      }
      case 0, 1 -> m.mutateBytes(seed);
      case 2, 3, 4, 5 -> {
        String json = JsonText.write(m.mutateTree(JSON.std.anyFrom(header)));
        yield Mutator.concat(SafetensorsSeeds.withLength(json.getBytes(StandardCharsets.UTF_8)), data);
      }
      case 6, 7 -> {
        String json = m.mutateJsonText(new String(header, StandardCharsets.UTF_8));
        yield Mutator.concat(SafetensorsSeeds.withLength(json.getBytes(StandardCharsets.UTF_8)), data);
      }
      case 8 -> {
        long length = m.pick(List.of(0L, 1L, headerLength - 1, headerLength + 1, headerLength + data.length,
            headerLength + data.length + 1, (long) seed.length, 100_000_000L, 100_000_001L, Long.MAX_VALUE,
            Long.MIN_VALUE, -1L, 1L << 32));
        m.note("header length " + Long.toUnsignedString(length));
        byte[] out = seed.clone();
        System.arraycopy(SafetensorsSeeds.u64(length), 0, out, 0, 8);
        yield out;
      }
      default -> {
        int change = m.pick(List.of(-1, 1, -8, 8, 3));
        int size = Math.max(0, seed.length + change);
        int cut = m.oneIn(5) ? Math.min(size, m.nextInt(16)) : size;
        m.note("file size " + seed.length + " -> " + cut);
        yield Arrays.copyOf(seed, cut);
      }
    };
  }

  /**
   * One format-aware change to a tensor entry, so the rules the reference checks are each reached on purpose:
   * offsets that overlap, leave a gap or run past the end; a shape that disagrees with the bytes or whose
   * product overflows a long; a dtype of another width; two entries sharing their bytes.
   */
  @SuppressWarnings("unchecked")
  private static Object mutateEntry(Mutator m, Object header, int dataBytes) {
    Map<String, Object> root = (Map<String, Object>) header;
    List<String> tensors = root.keySet().stream().filter(k -> !k.equals("__metadata__")).toList();
    if (tensors.isEmpty()) {
      m.note("add a tensor past the end");
      root.put("t", new LinkedHashMap<>(Map.of("dtype", "U8", "shape", List.of(dataBytes + 1),
          "data_offsets", List.of(0, dataBytes + 1))));
      return root;
    }
    String name = m.pick(tensors);
    Map<String, Object> entry = (Map<String, Object>) root.get(name);
    List<Object> offsets = new ArrayList<>((List<Object>) entry.get("data_offsets"));
    long begin = ((Number) offsets.get(0)).longValue();
    long end = ((Number) offsets.get(1)).longValue();
    int kind = m.nextInt(8);
    m.note("entry mutation " + kind + " of tensor '" + name + "'");
    switch (kind) {
      case 0 -> entry.put("data_offsets", List.of(begin - 1, end - 1)); // overlap, or negative at 0
      case 1 -> entry.put("data_offsets", List.of(begin + 1, end + 1)); // gap, past the end at the last
      case 2 -> entry.put("data_offsets", List.of(begin, dataBytes + 1 + m.nextInt(1 << 20)));
      case 3 -> entry.put("shape", List.of(1L << 32, 1L << 32)); // 2^64 elements
      case 4 -> entry.put("shape", List.of(Long.MAX_VALUE / 3, 4)); // fits a long; its bits do not
      case 5 -> {
        List<Object> shape = new ArrayList<>((List<Object>) entry.get("shape"));
        shape.add(m.pick(List.of(0, 2, 3)));
        entry.put("shape", shape);
      }
      case 6 -> entry.put("dtype", m.pick(List.of("BOOL", "F4", "F6_E3M2", "I16", "F32", "C64", "U64")));
      default -> root.put(name + ".copy", new LinkedHashMap<>(entry)); // the same bytes twice
    }
    return root;
  }

  /** Reads every byte of the view; returns its size. */
  private static long touch(TensorView view) {
    byte[] bytes = view.data().toArray(ValueLayout.JAVA_BYTE);
    assertEquals(view.data().byteSize(), bytes.length);
    return bytes.length;
  }

  /** A SafetensorsException naming the file and ending with a byte offset inside the file. */
  static String oracle(Throwable thrown, FuzzRun.Input input) {
    if (!(thrown instanceof SafetensorsException) || thrown.getMessage() == null) {
      return "not a SafetensorsException with a message";
    }
    String message = thrown.getMessage();
    if (!message.startsWith(input.name() + ": ")) {
      return "the message does not start with the file's name";
    }
    Matcher at = AT_BYTE.matcher(message);
    if (!at.find()) {
      return "the message does not end with the byte offset";
    }
    long offset = Long.parseLong(at.group(1));
    if (offset > input.bytes().length) {
      return "byte offset " + offset + " is past the end of the " + input.bytes().length + "-byte file";
    }
    return null;
  }
}
