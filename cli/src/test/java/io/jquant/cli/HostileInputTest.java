package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.checkpoint.Checkpoint;
import io.jquant.runtime.checkpoint.SafetensorsWriter;
import io.jquant.runtime.tensor.StoredTensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs built to hang or crash the commands: each is refused (or handled) with a message naming the file and
 * the tensor or key. The timeouts only guard against a hang coming back; they measure nothing.
 */
class HostileInputTest {
  /** Generous: each case takes well under a second; a regression takes minutes or never ends. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(10);

  @TempDir
  Path tmp;

  private static Fixtures.Run run(String... args) {
    Supplier<Fixtures.Run> command = () -> Fixtures.run(args);
    return assertTimeoutPreemptively(HANG_GUARD, command::get);
  }

  private static Path lone(Path file, List<StoredTensor> tensors) throws IOException {
    SafetensorsWriter.write(file, tensors.stream().map(StoredTensor::view).toList(), Map.of());
    return file;
  }

  private static StoredTensor f32Scalar(String name) {
    return StoredTensor.of(name, StorageDType.F32, new byte[] { 0, 0, (byte) 0x80, 0x3f });
  }

  @Test
  void anExcludeOfManyStarsDoesNotHang() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");

    Fixtures.Run run = run("quantize", "--format", "int8", "--exclude", "*".repeat(40) + "X",
        "--exclude", "*".repeat(40) + "o_proj", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    // o_proj keeps its layer's whole attention float.
    String stays = "(the layer's attention stays float: o_proj is excluded by --exclude)";
    assertEquals(List.of(
        "not quantized: lm_head.weight (not an attention or MLP projection)",
        "not quantized: model.embed_tokens.weight (not an attention or MLP projection)",
        "not quantized: model.layers.0.self_attn.k_proj.weight " + stays,
        "not quantized: model.layers.0.self_attn.o_proj.weight (excluded by --exclude)",
        "not quantized: model.layers.0.self_attn.q_proj.weight " + stays,
        "not quantized: model.layers.0.self_attn.v_proj.weight " + stays,
        "not quantized: model.layers.1.self_attn.k_proj.weight " + stays,
        "not quantized: model.layers.1.self_attn.o_proj.weight (excluded by --exclude)",
        "not quantized: model.layers.1.self_attn.q_proj.weight " + stays,
        "not quantized: model.layers.1.self_attn.v_proj.weight " + stays),
        run.out().lines().filter(l -> l.startsWith("not quantized")).toList());
  }

  /** A backtracking regex (Java memoizes most; a back reference defeats it) is stopped, not waited for. */
  @Test
  void anExcludeRegexThatBacktracksWithoutEndIsStopped() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");

    Fixtures.Run run = run("quantize", "--format", "int8", "--exclude", "re:(.|.)*\\1x", in.toString(),
        out.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit(), run.err());
    assertEquals("error: --exclude: ignore entry \"re:(.|.)*\\1x\" takes more than 10000000 steps to match"
        + " \"model.layers.0.mlp.down_proj\": the regex backtracks without end; simplify it\n", run.err());
    assertEquals(false, Files.exists(out));
  }

  @Test
  void aConfigIgnoreListOfManyStarsDoesNotHang() throws IOException {
    Path dir = Fixtures.llama(tmp.resolve("in"));
    Files.writeString(dir.resolve("config.json"), """
        {"num_hidden_layers": 2, "quantization_config": {"quant_method": "modelopt", "quant_algo": "NVFP4",
         "ignore": ["%sX", "model.layers.1*"]}}""".formatted("*".repeat(40)));

    Fixtures.Run run = run("inspect", "--json", dir.toString());

    assertEquals(0, run.exit(), run.err());
    String json = run.out().replaceAll("\\s+", "");
    assertEquals(true, json.contains("\"mlp_quantized_layers\":[0],\"attn_quantized_layers\":[0]"), json);
  }

  @Test
  void aHugeNumHiddenLayersIsRefusedNamingTheFileAndKey() throws IOException {
    Path dir = Fixtures.llama(tmp.resolve("in"));
    Files.writeString(dir.resolve("config.json"), """
        {"num_hidden_layers": 100000000, "quantization_config": {"quant_method": "modelopt",
         "quant_algo": "NVFP4"}}""");

    Fixtures.Run run = run("inspect", dir.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals("error: " + dir.resolve("config.json") + ": num_hidden_layers: 100000000 decoder layers is"
        + " more than jquant reads (at most 4096)\n", run.err());
  }

  @Test
  void aHugeLayerIndexInATensorNameIsRefusedNamingTheFileAndTensor() throws IOException {
    Path file = lone(tmp.resolve("one.safetensors"), List.of(
        f32Scalar("model.layers.99999999.mlp.down_proj.weight_scale_2")));

    Fixtures.Run run = run("inspect", file.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals("error: " + file + ": tensor model.layers.99999999.mlp.down_proj.weight_scale_2: layer index"
        + " 99999999 is beyond jquant's limit of 4096 decoder layers (indices 0 to 4095)\n", run.err());
  }

  @Test
  void aLayerIndexBeyondLongIsRefusedNamingTheFileAndTensor() throws IOException {
    String name = "model.layers.99999999999999999999.mlp.down_proj.weight";
    Path file = lone(tmp.resolve("one.safetensors"), List.of(Fixtures.bf16(name, 16, 32)));
    String expected = "error: " + file + ": tensor " + name + ": layer index 99999999999999999999 is beyond"
        + " jquant's limit of 4096 decoder layers (indices 0 to 4095)\n";

    Fixtures.Run inspect = run("inspect", file.toString());
    Path out = tmp.resolve("out");
    Fixtures.Run quantize = run("quantize", "--format", "int8", file.toString(), out.toString());

    assertEquals(ExitCodes.BAD_INPUT, inspect.exit());
    assertEquals(expected, inspect.err());
    assertEquals(ExitCodes.BAD_INPUT, quantize.exit());
    assertEquals(expected, quantize.err());
    assertEquals(false, Files.exists(out));
  }

  @Test
  void theLastLayerIndexBelowTheLimitIsRead() throws IOException {
    Path file = lone(tmp.resolve("one.safetensors"), List.of(
        f32Scalar("model.layers.0004095.mlp.down_proj.weight_scale_2")));

    Fixtures.Run run = run("inspect", "--json", file.toString());

    assertEquals(0, run.exit(), run.err());
    String json = run.out().replaceAll("\\s+", "");
    assertEquals(true, json.contains(",4094,4095],\"attn_quantized_layers\":[0,1,"),
        json.substring(0, 200));
  }

  /** A file whose one tensor's data is a hole: the size of a huge tensor without the disk space. */
  private static Path sparse(Path file, String name, String dtype, long rows, long cols, long bytes)
      throws IOException {
    byte[] header = ("{\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + rows + "," + cols
        + "],\"data_offsets\":[0," + bytes + "]}}").getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      out.write(header);
      out.setLength(8 + header.length + bytes);
    }
    return file;
  }

  @Test
  void anEmptyWeightWhoseRowsPassAnIntIsCopiedByQuantize() throws IOException {
    // In the attention, whose whole role stays float with it; the MLP's up_proj is quantized.
    String empty = "model.layers.0.self_attn.q_proj.weight";
    Path in = lone(tmp.resolve("in.safetensors"), List.of(
        StoredTensor.of(empty, StorageDType.BF16, new byte[0], 2147483648L, 0),
        Fixtures.bf16("model.layers.0.mlp.up_proj.weight", 16, 32)));
    Path out = tmp.resolve("out");

    Fixtures.Run run = run("quantize", "--format", "int8", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals("not quantized: " + empty + " (empty, no elements to quantize)",
        run.out().lines().findFirst().orElseThrow());
    try (Checkpoint written = Checkpoint.open(out)) {
      assertEquals(List.of(2147483648L, 0L), written.tensor(empty).shape());
      assertEquals(StorageDType.BF16, written.tensor(empty).dtype());
      assertEquals(StorageDType.I8, written.tensor("model.layers.0.mlp.up_proj.weight").dtype());
    }
    String config = Files.readString(out.resolve("config.json"));
    assertEquals(true, config.contains("\"model.layers.0.self_attn.q_proj\""), config);
  }

  @Test
  void emptyQuantizedWeightsDequantizeToEmptyFloatWeights() throws IOException {
    String nvfp4 = "model.layers.0.mlp.down_proj.";
    String fp8 = "model.layers.0.self_attn.q_proj.";
    Path in = lone(tmp.resolve("in.safetensors"), List.of(
        StoredTensor.of(nvfp4 + "weight", StorageDType.U8, new byte[0], 2147483648L, 0),
        StoredTensor.of(nvfp4 + "weight_scale", StorageDType.F8_E4M3, new byte[0], 2147483648L, 0),
        f32Scalar(nvfp4 + "weight_scale_2"),
        StoredTensor.of(fp8 + "weight", StorageDType.F8_E4M3, new byte[0], 0, 2147483648L),
        f32Scalar(fp8 + "weight_scale")));
    Path out = tmp.resolve("out");

    Fixtures.Run run = run("dequantize", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    try (Checkpoint written = Checkpoint.open(out)) {
      assertEquals(List.of(nvfp4 + "weight", fp8 + "weight"), written.tensorNames());
      assertEquals(List.of(2147483648L, 0L), written.tensor(nvfp4 + "weight").shape());
      assertEquals(List.of(0L, 2147483648L), written.tensor(fp8 + "weight").shape());
      assertEquals(StorageDType.BF16, written.tensor(fp8 + "weight").dtype());
    }
  }

  @Test
  void aWeightBeyondAFloatArrayIsRefusedByQuantizeNamingFileTensorAndShape() throws IOException {
    Path in = sparse(tmp.resolve("huge.safetensors"), "model.layers.0.mlp.down_proj.weight", "BF16",
        65536, 32784, 2L * 65536 * 32784);

    Fixtures.Run run = run("quantize", "--format", "int8", in.toString(), tmp.resolve("out").toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit(), run.err());
    assertEquals("error: " + in + ": tensor model.layers.0.mlp.down_proj.weight: shape [65536, 32784] has"
        + " 2148532224 elements, more than a float array holds (2147483639)\n", run.err());
    assertEquals(false, Files.exists(tmp.resolve("out")));
  }

  @Test
  void aWeightBeyondAFloatArrayIsRefusedByDequantizeNamingFileTensorAndShape() throws IOException {
    // A sparse F8_E4M3 weight and its one-element scale (zero bytes: 0.0f), the scale's 4 bytes first.
    String scale = "\"model.layers.0.mlp.down_proj.weight_scale\":{\"dtype\":\"F32\",\"shape\":[],"
        + "\"data_offsets\":[0,4]}";
    long bytes = 65536L * 32769;
    byte[] header = ("{" + scale + ",\"model.layers.0.mlp.down_proj.weight\":{\"dtype\":\"F8_E4M3\","
        + "\"shape\":[65536,32769],\"data_offsets\":[4," + (4 + bytes) + "]}}")
        .getBytes(StandardCharsets.UTF_8);
    Path in = tmp.resolve("huge.safetensors");
    try (RandomAccessFile out = new RandomAccessFile(in.toFile(), "rw")) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      out.write(header);
      out.setLength(8 + header.length + 4 + bytes);
    }

    Fixtures.Run run = run("dequantize", in.toString(), tmp.resolve("out").toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit(), run.err());
    assertEquals("error: " + in + ": tensor model.layers.0.mlp.down_proj.weight: F8_E4M3 [65536, 32769]"
        + " dequantizes to more than the 2147483639 elements a float array holds\n", run.err());
    assertEquals(false, Files.exists(tmp.resolve("out")));
  }

  /** The name column is capped: padding every line to one huge name made gigabytes of output. */
  @Test
  void oneHugeTensorNameDoesNotPadEveryLine() throws IOException {
    String huge = "x".repeat(100_000);
    List<StoredTensor> tensors = new java.util.ArrayList<>();
    tensors.add(StoredTensor.of(huge, StorageDType.U8, new byte[0], 0));
    for (int i = 0; i < 1000; i++) {
      tensors.add(StoredTensor.of("t" + (1000 + i), StorageDType.U8, new byte[0], 0));
    }
    Path file = lone(tmp.resolve("wide.safetensors"), tensors);

    Fixtures.Run run = run("inspect", file.toString());

    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("  t1000" + " ".repeat(91) + "  U8  [0]", lines.get(3));
    assertEquals("  " + huge + "  U8  [0]", lines.get(1003));
    assertEquals(1005, lines.size()); // two header lines, "tensors:", 1001 tensors, "quant config: none"
  }

  /** A block size that is not two positive ints was truncated (1e12), defaulted ("a") or refused bare. */
  @Test
  void aBadFp8BlockSizeIsRefusedNamingConfigJsonAndTheKey() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path quantized = tmp.resolve("q");
    assertEquals(0, run("quantize", "--format", "fp8-block", in.toString(), quantized.toString()).exit());
    String config = Files.readString(quantized.resolve("config.json"));
    for (String block : List.of("[1e12, 128]", "[0, 0]", "[\"a\", 1]", "[128]", "4294967424",
        "[4294967424, 128]")) {
      Files.writeString(quantized.resolve("config.json"),
          config.replaceFirst("\"weight_block_size\": \\[[^]]*]", "\"weight_block_size\": " + block));
      Path out = tmp.resolve("out");

      Fixtures.Run run = run("dequantize", quantized.toString(), out.toString());

      assertEquals(ExitCodes.BAD_INPUT, run.exit(), block + ": " + run.err());
      String shown = switch (block) {
        case "[1e12, 128]" -> "[1.0E12, 128]";
        case "[\"a\", 1]" -> "[a, 1]";
        default -> block;
      };
      assertEquals("error: " + quantized.resolve("config.json") + ": quantization_config.weight_block_size:"
          + " expected two positive integers [rows, cols], got " + shown + "\n", run.err());
      assertEquals(false, Files.exists(out));
    }
  }

  @Test
  void theLargestThreadCountWorks() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));

    Fixtures.Run quantize = run("quantize", "--format", "int8", "--threads", "2147483647", in.toString(),
        tmp.resolve("q").toString());
    Fixtures.Run dequantize = run("dequantize", "--threads", "2147483647", tmp.resolve("q").toString(),
        tmp.resolve("d").toString());

    assertEquals(0, quantize.exit(), quantize.err());
    assertEquals(0, dequantize.exit(), dequantize.err());
  }
}
