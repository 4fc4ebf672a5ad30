package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jquant.runtime.checkpoint.SafetensorsWriter;
import io.jquant.runtime.tensor.StorageDType;
import io.jquant.runtime.tensor.StoredTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs built to hang or crash the commands: each is refused (or handled) with a message naming the file
 * and the tensor or key. The timeouts only guard against a hang coming back; they measure nothing.
 */
class HostileInputTest {
  /** Generous: each case takes well under a second; a regression takes minutes or never ends. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(10);

  @TempDir Path tmp;

  private static Fixtures.Run run(String... args) {
    Supplier<Fixtures.Run> command = () -> Fixtures.run(args);
    return assertTimeoutPreemptively(HANG_GUARD, command::get);
  }

  private static Path lone(Path file, List<StoredTensor> tensors) throws IOException {
    SafetensorsWriter.write(file, tensors.stream().map(StoredTensor::view).toList(), Map.of());
    return file;
  }

  private static StoredTensor f32Scalar(String name) {
    return StoredTensor.of(name, StorageDType.F32, new byte[] {0, 0, (byte) 0x80, 0x3f});
  }

  @Test
  void anExcludeOfManyStarsDoesNotHang() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = tmp.resolve("out");

    Fixtures.Run run = run("quantize", "--format", "int8", "--exclude", "*".repeat(40) + "X",
        "--exclude", "*".repeat(40) + "o_proj", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of(
        "not quantized: lm_head.weight (not an attention or MLP projection)",
        "not quantized: model.embed_tokens.weight (not an attention or MLP projection)",
        "not quantized: model.layers.0.self_attn.o_proj.weight (excluded by --exclude)",
        "not quantized: model.layers.1.self_attn.o_proj.weight (excluded by --exclude)"),
        run.out().lines().filter(l -> l.startsWith("not quantized")).toList());
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
    assertEquals("error: config.json: num_hidden_layers: 100000000 decoder layers is more than jquant reads"
        + " (at most 65536)\n", run.err());
  }

  @Test
  void aHugeLayerIndexInATensorNameIsRefusedNamingTheFileAndTensor() throws IOException {
    Path file = lone(tmp.resolve("one.safetensors"), List.of(
        f32Scalar("model.layers.99999999.mlp.down_proj.weight_scale_2")));

    Fixtures.Run run = run("inspect", file.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals("error: " + file + ": tensor model.layers.99999999.mlp.down_proj.weight_scale_2: layer index"
        + " 99999999 is beyond jquant's limit of 65536 decoder layers (indices 0 to 65535)\n", run.err());
  }

  @Test
  void aLayerIndexBeyondLongIsRefusedNamingTheFileAndTensor() throws IOException {
    String name = "model.layers.99999999999999999999.mlp.down_proj.weight";
    Path file = lone(tmp.resolve("one.safetensors"), List.of(Fixtures.bf16(name, 16, 32)));
    String expected = "error: " + file + ": tensor " + name + ": layer index 99999999999999999999 is beyond"
        + " jquant's limit of 65536 decoder layers (indices 0 to 65535)\n";

    Fixtures.Run inspect = run("inspect", file.toString());
    Fixtures.Run quantize = run("quantize", "--format", "int8", file.toString(), tmp.resolve("out").toString());

    assertEquals(ExitCodes.BAD_INPUT, inspect.exit());
    assertEquals(expected, inspect.err());
    assertEquals(ExitCodes.BAD_INPUT, quantize.exit());
    assertEquals(expected, quantize.err());
    assertEquals(false, Files.exists(tmp.resolve("out")));
  }

  @Test
  void theLastLayerIndexBelowTheLimitIsRead() throws IOException {
    Path file = lone(tmp.resolve("one.safetensors"), List.of(
        f32Scalar("model.layers.0065535.mlp.down_proj.weight_scale_2")));

    Fixtures.Run run = run("inspect", "--json", file.toString());

    assertEquals(0, run.exit(), run.err());
    String json = run.out().replaceAll("\\s+", "");
    assertEquals(true, json.contains(",65534,65535],\"attn_quantized_layers\":[0,1,"), json.substring(0, 200));
  }
}
