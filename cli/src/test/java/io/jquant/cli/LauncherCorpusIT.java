package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed inputs and bad command lines through the real {@code ./jquant}: each is refused with its exit
 * code, nothing on stdout, and exactly one line on stderr naming the file (and the tensor or key). The inputs
 * are written into a temporary directory by {@link #writeCorpus()}, one per case.
 */
class LauncherCorpusIT {
  @TempDir
  static Path dir;

  @BeforeAll
  static void writeCorpus() throws IOException {
    Launcher.requireJar();
    Files.createDirectories(dir.resolve("empty"));
    // 3 bytes: not even the 8-byte header length.
    Corpus.bytes(dir.resolve("truncated.safetensors"), new byte[] { 0x10, 0, 0 });
    // Claims a 1000-byte header; the file has 10 bytes.
    Corpus.headerLength(dir.resolve("past-end.safetensors"), 1000, "{}");
    // A header that is not JSON.
    Corpus.headerLength(dir.resolve("bad-json.safetensors"), 11, "{\"a\": nope}");
    // A tensor's data_offsets end at byte 160 of a 16-byte data section.
    Corpus.safetensors(dir.resolve("offsets.safetensors"),
        "{\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,20],\"data_offsets\":[0,160]}}", 16);
    // config.json cut off mid-object; then one with a string where a number belongs.
    Corpus.checkpoint(dir.resolve("config-json"), "{\"quantization_config\": ", null);
    Corpus.checkpoint(dir.resolve("config-type"), "{\"num_hidden_layers\": \"two\"}", null);
    Corpus.checkpoint(dir.resolve("config-quant"), "{\"num_hidden_layers\": 1, \"quantization_config\": 5}",
        null);
    // hf_quant_config.json: cut off; then its "quantization" a string.
    Corpus.checkpoint(dir.resolve("hf-json"), "{\"num_hidden_layers\": 1}", "[1, 2");
    Corpus.checkpoint(dir.resolve("hf-type"), "{\"num_hidden_layers\": 1}", "{\"quantization\": \"nvfp4\"}");
    // model.safetensors a link to itself (ELOOP); a file that is a link to itself; a dangling link.
    Files.createDirectories(dir.resolve("loop"));
    Files.createSymbolicLink(dir.resolve("loop/model.safetensors"), Path.of("model.safetensors"));
    Files.createSymbolicLink(dir.resolve("self.safetensors"), Path.of("self.safetensors"));
    Files.createDirectories(dir.resolve("dangling"));
    Files.createSymbolicLink(dir.resolve("dangling/model.safetensors"), Path.of("nowhere.safetensors"));
    // model.safetensors is a directory.
    Files.createDirectories(dir.resolve("dir-model/model.safetensors"));
    // Hostile counts: a config claiming 10^8 layers; a tensor of layer 10^11 (both once walked every layer).
    Corpus.checkpoint(dir.resolve("huge-layers"),
        "{\"num_hidden_layers\": 100000000, \"quantization_config\":"
            + " {\"quant_method\": \"modelopt\", \"quant_algo\": \"NVFP4\"}}",
        null);
    Corpus.safetensors(dir.resolve("huge-index.safetensors"),
        "{\"model.layers.99999999999.mlp.down_proj.weight\":"
            + "{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}",
        16);
    // A valid float checkpoint (for the usage errors, which must not get as far as reading it).
    Corpus.checkpoint(dir.resolve("good"), "{\"num_hidden_layers\": 1}", null);
  }

  static Stream<Arguments> badInput() {
    String eloop = ": Too many levels of symbolic links or unable to access attributes of symbolic link";
    return Stream.of(
        refusal("missing file", "error: " + p("nope.safetensors") + ": no such file or directory",
            "inspect", p("nope.safetensors")),
        refusal("directory without model.safetensors", "error: " + p("empty") + ": a checkpoint directory"
            + " needs model.safetensors or model.safetensors.index.json; it has neither", "inspect",
            p("empty")),
        refusal("truncated header", "error: " + p("truncated.safetensors") + ": the file has 3 bytes, fewer"
            + " than the 8-byte header length that starts a safetensors file (at byte 0)",
            "inspect", p("truncated.safetensors")),
        refusal("header length past the end", "error: " + p("past-end.safetensors") + ": header length 1000"
            + " runs past the end of the 10-byte file (at byte 0)", "inspect", p("past-end.safetensors")),
        refusal("invalid JSON header", "error: " + p("bad-json.safetensors") + ": header is not valid JSON:"
            + " Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null',"
            + " 'true' or 'false') (near byte 19)", "inspect", p("bad-json.safetensors")),
        refusal("offsets out of range", "error: " + p("offsets.safetensors") + ": tensor 'a.weight'"
            + " data_offsets [0, 160] run past the end of the file, which holds 16 data bytes after the"
            + " header"
            + " (at byte 9)", "inspect", p("offsets.safetensors")),
        refusal("config.json not JSON", "error: " + p("config-json/config.json") + ": not valid JSON:"
            + " Unexpected end-of-input within/between Object entries at line 1, column 25",
            "inspect", p("config-json")),
        refusal("config.json wrong type", "error: " + p("config-type/config.json") + ": num_hidden_layers:"
            + " expected an integer, got \"two\"", "inspect", p("config-type")),
        refusal("quantization_config wrong type", "error: " + p("config-quant/config.json")
            + ": quantization_config: expected a JSON object, got 5", "inspect", p("config-quant")),
        refusal("quantize refuses a config that says quantized", "error: " + p("config-quant/config.json")
            + ": already has a quantization_config; quantize reads float checkpoints",
            "quantize", "--format", "int8", p("config-quant"), p("out-never")),
        refusal("hf_quant_config.json not JSON", "error: " + p("hf-json/hf_quant_config.json") + ": not valid"
            + " JSON: Unexpected end-of-input: expected close marker for Array (start marker at [Source:"
            + " REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1]) at"
            + " line 1, column 6", "inspect", p("hf-json")),
        refusal("hf_quant_config.json wrong type", "error: " + p("hf-type/hf_quant_config.json")
            + ": quantization: expected a JSON object, got \"nvfp4\"", "inspect", p("hf-type")),
        refusal("model.safetensors a symlink loop", "error: " + p("loop/model.safetensors") + eloop,
            "inspect", p("loop")),
        refusal("a file that is a symlink loop", "error: " + p("self.safetensors") + eloop,
            "inspect", p("self.safetensors")),
        refusal("model.safetensors a dangling link", "error: " + p("dangling/model.safetensors")
            + ": no such file or directory", "inspect", p("dangling")),
        refusal("model.safetensors a directory", "error: " + p("dir-model/model.safetensors")
            + ": a directory, not a safetensors file", "inspect", p("dir-model")),
        refusal("inspect --json of a bad file", "error: " + p("truncated.safetensors") + ": the file has 3"
            + " bytes, fewer than the 8-byte header length that starts a safetensors file (at byte 0)",
            "inspect", "--json", p("truncated.safetensors")),
        refusal("a layer count above the limit",
            "error: " + p("huge-layers/config.json") + ": num_hidden_layers:"
                + " 100000000 decoder layers is more than jquant reads (at most 4096)",
            "inspect", p("huge-layers")),
        refusal("a layer index above the limit", "error: " + p("huge-index.safetensors") + ": tensor"
            + " model.layers.99999999999.mlp.down_proj.weight: layer index 99999999999 is beyond jquant's"
            + " limit of"
            + " 4096 decoder layers (indices 0 to 4095)", "inspect", p("huge-index.safetensors")),
        refusal("dequantize of a missing input", "error: " + p("nope") + ": no such file or directory",
            "dequantize", p("nope"), p("out-never")));
  }

  static Stream<Arguments> usage() {
    return Stream.of(
        usageCase("unknown format",
            "error: Invalid value for option '--format': unknown format 'fp5'; expected"
                + " one of [nvfp4, mxfp4, mxfp8, fp8-tensor, fp8-channel, fp8-block, int8]"
                + " (see 'jquant quantize --help')",
            "quantize", "--format", "fp5", p("good"), p("out-never")),
        usageCase("no command", "error: Missing required subcommand (see 'jquant --help')"),
        usageCase("unknown command",
            "error: Unmatched argument at index 0: 'frobnicate' (see 'jquant --help')",
            "frobnicate"),
        usageCase("unknown option", "error: Unknown option: '--bogus' (see 'jquant inspect --help')",
            "inspect", "--bogus", p("good")),
        usageCase("missing argument",
            "error: Missing required parameter: 'OUT' (see 'jquant quantize --help')",
            "quantize", "--format", "int8", p("good")),
        usageCase("bad number", "error: --threads must be at least 1, got 0 (see 'jquant dequantize --help')",
            "dequantize", "--threads", "0", p("good"), p("out-never")),
        usageCase("bad dtype", "error: Invalid value for option '--dtype': expected one of [BF16, F32] (case-"
            + "insensitive) but was 'f16' (see 'jquant dequantize --help')",
            "dequantize", "--dtype", "f16", p("good"), p("out-never")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInputIsOneLineAndExitCodeOne(String what, String line, List<String> args) throws Exception {
    assertRefused(ExitCodes.BAD_INPUT, line, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usage")
  void usageErrorsAreOneLineAndExitCodeTwo(String what, String line, List<String> args) throws Exception {
    assertRefused(ExitCodes.USAGE, line, args);
  }

  /** Each * became a .* of a backtracking regex: this exclude once ran for minutes on every tensor name. */
  @Test
  void anExcludeOfManyStarsFinishes() throws Exception {
    Path in = Fixtures.llama(dir.resolve("llama-stars"));
    Path out = dir.resolve("many-stars");
    Launcher.Run run = Launcher.run(dir, "quantize", "--format", "int8", "--exclude", "*".repeat(40) + "X",
        in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals(true, Files.isRegularFile(out.resolve("model.safetensors")));
  }

  @Test
  void anUnreadableFileIsPermissionDenied() throws Exception {
    Path file = Corpus.safetensors(dir.resolve("unreadable.safetensors"), Corpus.TENSOR, 16);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    // root reads it anyway (the build may run as root): then there is nothing to refuse.
    assumeFalse(Files.isReadable(file), "running as root: a mode-000 file is still readable");

    assertRefused(ExitCodes.BAD_INPUT, "error: " + file + ": permission denied",
        List.of("inspect", file.toString()));
  }

  @Test
  void anOutputFileTooLargeNamesTheFileAndTheSystemsReasonAndLeavesNothing() throws Exception {
    Path in = Fixtures.llama(dir.resolve("llama"));
    Path out = dir.resolve("too-large");

    // 16 KiB per file: the BF16 checkpoint is about 90 KB, its int8 output more than 16 KiB.
    Launcher.Run run = Launcher.shell(dir,
        "ulimit -f 16; exec \"$JQUANT\" quantize --format int8 --threads 1 "
            + in + " " + out);

    assertEquals(ExitCodes.BAD_INPUT, run.exit(), run.err());
    assertEquals("", run.out());
    List<String> lines = run.errLines();
    String last = lines.getLast();
    assertEquals(true, last.matches("error: " + java.util.regex.Pattern.quote(dir.toString())
        + "/\\.too-large\\.jquant-\\d+-[0-9a-f]+/model\\.safetensors: File too large"), run.err());
    // Before it, only the per-tensor progress lines.
    lines.subList(0, lines.size() - 1)
        .forEach(line -> assertEquals(true, line.matches("\\[\\d+/19] .+"), line));
    assertEquals(false, Files.exists(out));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".too-large")).toList());
    }
  }

  private static void assertRefused(int exit, String line, List<String> args) throws Exception {
    Launcher.Run run = Launcher.run(dir, args.toArray(String[]::new));

    assertEquals(line + "\n", run.err(), "stderr: exactly the one line");
    assertEquals("", run.out(), "stdout stays empty");
    assertEquals(exit, run.exit());
    assertEquals(false, Files.exists(dir.resolve("out-never")), "no output");
  }

  private static Arguments refusal(String what, String line, String... args) {
    return Arguments.of(what, line, List.of(args));
  }

  private static Arguments usageCase(String what, String line, String... args) {
    return Arguments.of(what, line, List.of(args));
  }

  private static String p(String name) {
    return dir.resolve(name).toString();
  }
}
