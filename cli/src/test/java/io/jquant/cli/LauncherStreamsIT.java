package io.jquant.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jquant.config.hf.HfQuantConfigParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jquant}'s streams when things go right: results alone on stdout (so {@code > file} captures a
 * result, never an error), progress and nothing else on stderr, the JVM's incubator-module warning dropped.
 */
class LauncherStreamsIT {
  @TempDir
  Path dir;

  @BeforeAll
  static void jarIsBuilt() {
    Launcher.requireJar();
  }

  @Test
  void inspectJsonPrintsOnlyTheDocument() throws Exception {
    Path in = Corpus.checkpoint(dir.resolve("in"), "{\"num_hidden_layers\": 1}", null);

    Launcher.Run run = Launcher.run(dir, "inspect", "--json", in.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals("", run.err(), "no JVM warning, no progress");
    Map<String, Object> doc = HfQuantConfigParser.readJson("stdout", run.out());
    assertEquals(List.of(Map.of("name", "a.weight", "dtype", "F32", "shape", List.of(2, 2))),
        doc.get("tensors"));
    assertEquals("unquantized", doc.get("format"));
  }

  @Test
  void quantizePrintsResultsOnStdoutAndProgressOnStderr() throws Exception {
    Path in = Fixtures.llama(dir.resolve("in"));
    Path out = dir.resolve("out");

    Launcher.Run run = Launcher.run(dir, "quantize", "--format", "int8", in.toString(), out.toString());

    assertEquals(0, run.exit(), run.err());
    assertEquals("""
        not quantized: lm_head.weight (not an attention or MLP projection)
        not quantized: model.embed_tokens.weight (not an attention or MLP projection)
        quantized 14 of 19 tensors to int8; copied [tokenizer.json]; wrote %s
        """.formatted(out), run.out());
    List<String> progress = run.errLines();
    assertEquals(19, progress.size(), run.err());
    assertEquals("[1/19] lm_head.weight: copied BF16 [32, 64]", progress.getFirst());
    progress.forEach(line -> assertTrue(line.matches("\\[\\d+/19] [a-z_.0-9]+: (int8|copied BF16) \\[.+]"),
        line));
  }

  @Test
  void verboseAddsTheStackTraceOnStderrOnly() throws Exception {
    Path missing = dir.resolve("nope");

    Launcher.Run run = Launcher.run(dir, "--verbose", "inspect", missing.toString());

    assertEquals(ExitCodes.BAD_INPUT, run.exit());
    assertEquals("", run.out());
    List<String> lines = run.errLines();
    assertEquals("error: " + missing + ": no such file or directory", lines.getFirst());
    assertEquals("java.nio.file.NoSuchFileException: " + missing + ": no checkpoint file or directory",
        lines.get(1));
    assertTrue(lines.get(2).startsWith("\tat "), run.err());
  }

  @Test
  void helpAndVersionGoToStdout() throws Exception {
    Launcher.Run help = Launcher.run(dir, "--help");
    Launcher.Run version = Launcher.run(dir, "--version");

    assertEquals(0, help.exit(), help.err());
    assertEquals("", help.err());
    assertTrue(help.out().startsWith("Usage: jquant "), help.out());
    assertTrue(help.out().contains("\nExit codes:\n  0   done\n  1   bad input: "), help.out());
    assertTrue(help.out().contains("\n  2   usage error: "), help.out());
    assertTrue(help.out().contains("\n  3   internal error (rerun with --verbose for the stack trace)\n"),
        help.out());
    assertTrue(help.out().contains("\nStreams:\nResults go to stdout; errors, warnings and progress go to"
        + " stderr"), help.out());
    assertEquals(0, version.exit(), version.err());
    assertEquals("", version.err());
    assertEquals("jquant 0.1.0-SNAPSHOT\n", version.out());
  }
}
