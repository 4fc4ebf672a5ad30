package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.tensor.StorageDType;
import io.jquant.runtime.numerics.Bf16;
import io.jquant.runtime.tensor.StoredTensor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and the one-line messages of bad input, usage errors and failures mid-way. */
class ErrorsTest {
  @TempDir
  Path tmp;

  @Test
  void missingInputIsBadInput() {
    Path missing = tmp.resolve("nope");

    Fixtures.Run run = Fixtures.run("inspect", missing.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals("error: " + missing + ": no such file or directory\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void unknownFormatIsAUsageError() {
    Fixtures.Run run = Fixtures.run("quantize", "--format", "fp5", "a", "b");

    assertEquals(ExitCodes.USAGE, run.exit());
    assertEquals("error: Invalid value for option '--format': unknown format 'fp5'; expected one of [nvfp4,"
        + " mxfp4, mxfp8, fp8-tensor, fp8-channel, fp8-block, int8] (see 'jquant quantize --help')\n",
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void missingArgumentsAndNoCommandAreUsageErrors() {
    assertEquals(ExitCodes.USAGE, Fixtures.run("quantize", "--format", "int8", "a").exit());
    assertEquals(ExitCodes.USAGE, Fixtures.run("dequantize", "--dtype", "f16", "a", "b").exit());
    assertEquals(ExitCodes.USAGE,
        Fixtures.run("quantize", "--format", "int8", "--threads", "0", "a", "b").exit());
    Fixtures.Run none = Fixtures.run();
    assertEquals(ExitCodes.USAGE, none.exit());
    assertEquals("error: Missing required subcommand (see 'jquant --help')\n", none.err());
  }

  @Test
  void helpOfEachCommandExitsZero() {
    for (String command : List.of("inspect", "quantize", "dequantize")) {
      Fixtures.Run run = Fixtures.run(command, "--help");
      assertEquals(0, run.exit(), command);
      assertTrue(run.out().contains("Usage: jquant " + command), run.out());
    }
  }

  @Test
  void aNonEmptyOutputDirectoryIsRefusedAndKept() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("keep.txt"), "mine");

    Fixtures.Run run = Fixtures.run("quantize", "--format", "int8", in.toString(), out.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertTrue(run.err().endsWith("error: " + out + ": directory not empty\n"), run.err());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(out.resolve("keep.txt")), files.toList());
    }
  }

  @Test
  void aTruncatedFileNamesTheFileAndTheByteOffset() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path file = in.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));

    Fixtures.Run run = Fixtures.run("inspect", in.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("error: " + file + ": "), run.err());
    assertTrue(run.err().contains("(at byte "), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void aNonFiniteWeightFailsWithItsPlaceAndLeavesNoOutput() throws IOException {
    List<StoredTensor> tensors = new ArrayList<>();
    tensors.add(Fixtures.bf16("model.layers.0.mlp.down_proj.weight", 16, 32));
    StoredTensor bad = Fixtures.bf16("model.layers.0.mlp.up_proj.weight", 16, 32);
    short nan = Bf16.encode(Float.NaN);
    bad.bytes()[2 * 37] = (byte) nan;
    bad.bytes()[2 * 37 + 1] = (byte) (nan >> 8);
    tensors.add(bad);
    Path in = Fixtures.write(tmp.resolve("in"), tensors);
    Path out = tmp.resolve("out");

    Fixtures.Run run = Fixtures.run("quantize", "--format", "mxfp8", "--threads", "2", in.toString(),
        out.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    // The error is the last line; before it at most the progress of the other tensor, also on stderr (after
    // the warning that MAX reads no MXFP8, QuantizeEngineWarningsTest's).
    List<String> lines = run.err().lines().filter(line -> !line.contains(" [Serving.")).toList();
    assertEquals("error: " + in.resolve("model.safetensors") + ": tensor model.layers.0.mlp.up_proj.weight:"
        + " element [1, 5] (index 37) is NaN; weights must be finite to be quantized", lines.getLast());
    assertTrue(lines.subList(0, lines.size() - 1).stream()
        .allMatch(line -> line.equals("[1/2] model.layers.0.mlp.down_proj.weight: mxfp8 [16, 32]")),
        run.err());
    assertEquals("", run.out());
    assertFalse(Files.exists(out));
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertEquals(List.of(in), siblings.toList(), "no temporary directory is left");
    }
  }

  @Test
  void verbosePrintsTheStackTrace() throws IOException {
    Fixtures.Run run = Fixtures.run("--verbose", "inspect", tmp.resolve("nope").toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertTrue(run.err().startsWith("error: " + tmp.resolve("nope") + ": no such file or directory\n"
        + "java.nio.file.NoSuchFileException: "), run.err());
    assertTrue(run.err().contains("\tat "), run.err());
  }

  @Test
  void quantizedInputIsRefusedByQuantizeAndFloatInputByDequantize() throws IOException {
    Path in = Fixtures.llama(tmp.resolve("in"));
    Path quantized = tmp.resolve("q");
    assertEquals(0,
        Fixtures.run("quantize", "--format", "fp8-block", in.toString(), quantized.toString()).exit());

    Fixtures.Run again = Fixtures.run("quantize", "--format", "int8", quantized.toString(),
        tmp.resolve("x").toString());
    Fixtures.Run floats = Fixtures.run("dequantize", in.toString(), tmp.resolve("y").toString());

    assertEquals(ExitCodes.BAD_INPUT, again.exit());
    assertEquals("error: " + quantized + ": already quantized (FP8 128x128 block (DeepSeek-V3 style));"
        + " quantize reads float checkpoints\n", again.err());
    assertEquals(ExitCodes.BAD_INPUT, floats.exit());
    assertEquals("error: " + in + ": not quantized (no quantized linear weight found)\n", floats.err());
  }

  @Test
  void aMissingScaleNamesTheTensorAndTheFile() throws IOException {
    Path in = Fixtures.write(tmp.resolve("in"), List.of(
        StoredTensor.of("model.layers.0.mlp.up_proj.weight", StorageDType.F8_E4M3, new byte[16 * 32], 16,
            32)));

    Fixtures.Run run = Fixtures.run("dequantize", in.toString(), tmp.resolve("out").toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals(
        "error: " + in.resolve("model.safetensors") + ": tensor model.layers.0.mlp.up_proj.weight_scale"
            + " is missing: FP8 per tensor weight [16, 32] needs F32, BF16 or F16 [] or [1]\n",
        run.err());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void benchWithoutTheBenchmarksJarSaysWhereTheRunnerIs() {
    // This module does not depend on the benchmarks: the runner is not on its test class path either.
    Fixtures.Run run = Fixtures.run("bench", "--help");

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals("error: benchmarks/target/benchmarks.jar: not on the class path (no"
        + " io.jquant.benchmarks.KernelBench); run the benchmark as ./jquant bench, which builds that jar and"
        + " adds it\n", run.err());
    assertEquals("", run.out());
  }

  @Test
  void fileSystemErrorsNameTheFileAndTheSystemsReason() {
    assertEquals("m/model.safetensors: Too many levels of symbolic links",
        ErrorReporter.message(new FileSystemException("m/model.safetensors", null,
            "Too many levels of symbolic links")));
    assertEquals("out/model.safetensors: No space left on device", ErrorReporter.message(
        new java.io.UncheckedIOException(new FileSystemException("out/model.safetensors", null,
            "No space left on device"))));
    assertEquals("x.safetensors: permission denied",
        ErrorReporter.message(new AccessDeniedException("x.safetensors")));
    assertEquals("internal error: java.lang.OutOfMemoryError: Java heap space (rerun with --verbose for the"
        + " stack trace)", ErrorReporter.internalError(new OutOfMemoryError("Java heap space"), false));
  }

  @Test
  void unexpectedExceptionsAreInternalErrors() {
    assertEquals(ExitCodes.INTERNAL, ErrorReporter.exitCode(new IllegalStateException("bug")));
    assertEquals(ExitCodes.INTERNAL, ErrorReporter.exitCode(new NullPointerException()));
    assertEquals(ExitCodes.BAD_INPUT, ErrorReporter.exitCode(new IOException("disk")));
    assertEquals(ExitCodes.BAD_INPUT, ErrorReporter.exitCode(new IllegalArgumentException("tensor x")));
  }
}
