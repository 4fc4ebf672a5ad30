package io.jquant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelBenchOptionsTest {
  @Test
  void defaultsAreTheIssuesMatrixWithTheShortBudget() {
    KernelBenchOptions o = KernelBenchOptions.parse();
    assertEquals(List.of(KernelFormat.values()), o.formats());
    assertEquals(List.of("4096x4096", "11008x4096"), o.shapes());
    assertEquals(List.of(1, 64), o.ms());
    assertEquals(List.of(1, 2), o.threads());
    assertEquals(List.of("hot", "cold"), o.regimes());
    assertEquals(List.of("f32"), o.inputs());
    assertEquals(Budget.SHORT, o.budget());
    assertNull(o.json());
    assertFalse(o.verbose());
    assertFalse(o.help());
  }

  @Test
  void readsEveryOption() {
    KernelBenchOptions o = KernelBenchOptions.parse("--formats", "nvfp4,FP32,NVFP4", "--shapes", "256x1024",
        "--m", "1", "--threads", "2", "--regimes", "cold", "--inputs", "f32,quantized", "--budget", "full",
        "--json", "out.json", "--verbose");
    assertEquals(List.of(KernelFormat.NVFP4, KernelFormat.FP32), o.formats());
    assertEquals(List.of("256x1024"), o.shapes());
    assertEquals(List.of(1), o.ms());
    assertEquals(List.of(2), o.threads());
    assertEquals(List.of("cold"), o.regimes());
    assertEquals(List.of("f32", "quantized"), o.inputs());
    assertEquals(Budget.FULL, o.budget());
    assertEquals(Path.of("out.json"), o.json());
    assertTrue(o.verbose());
    assertTrue(KernelBenchOptions.parse("-h").help());
  }

  @Test
  void namesTheOptionAndTheValueItCannotUse() {
    assertError("unknown option --format", "--format", "NVFP4");
    assertError("--formats: unknown format NF4 (expected one of FP32, BF16, NVFP4, MXFP4, MXFP8, FP8_TENSOR, "
        + "FP8_CHANNEL, FP8_BLOCK, INT8)", "--formats", "NVFP4,NF4");
    assertError("--shapes: shape 4096: expected NxK with positive N and K, e.g. 4096x4096", "--shapes",
        "4096");
    assertError("--shapes: shape 0x4096: expected NxK with positive N and K, e.g. 4096x4096", "--shapes",
        "0x4096");
    assertError("--threads: expected a positive integer, got 0", "--threads", "1,0");
    assertError("--m: expected a positive integer, got nothing", "--m", "1,");
    assertError("--m: expected a positive integer, got x", "--m", "x");
    assertError("--regimes: regime warm: expected hot or cold", "--regimes", "warm");
    assertError("--inputs: input fp8: expected f32 or quantized", "--inputs", "fp8");
    assertError("--budget: expected short or full, got long", "--budget", "long");
    assertError("--json needs a value", "--json");
    assertError("--m needs a value", "--m", "");
    assertError("--threads given twice", "--threads", "1", "--threads", "2");
  }

  @Test
  void badArgumentsPrintOneLineOnStderrAndReturnTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = KernelBench.run(new String[] { "--budget", "long" },
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertEquals("error: --budget: expected short or full, got long (see 'jquant bench --help')\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndRunsNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, KernelBench.run(new String[] { "--help" },
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals(KernelBenchOptions.USAGE, out.toString(StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  private static void assertError(String message, String... args) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KernelBenchOptions.parse(args));
    assertEquals(message, e.getMessage());
  }
}
