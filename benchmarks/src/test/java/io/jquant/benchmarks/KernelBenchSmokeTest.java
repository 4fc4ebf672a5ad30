package io.jquant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole runner once, on the smallest case with the smallest budget; asserts the table, not a time.
 */
class KernelBenchSmokeTest {
  @Test
  void measuresAKernelAndItsYardstickInForkedJvms() {
    KernelBenchOptions options = new KernelBenchOptions(List.of(KernelFormat.FP32), List.of("256x1024"),
        List.of(1), List.of(1), List.of("hot"), List.of("f32"), new Budget("smoke", 1, 1, 100, 1, 100), null,
        false, false);
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    int status = KernelBench.run(options, new PrintStream(table, true, StandardCharsets.UTF_8),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    String text = table.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    String[] lines = text.split("\n");
    assertEquals(2, lines.length, text);
    // A value, a yardstick and a ratio were measured: no "-" in those columns.
    assertTrue(lines[1].matches("FP32 +f32 +1 +256 +1024 +1 +hot +GB/s +[0-9.]+ +[0-9.]+ +[0-9.]+ +1\\.00x"),
        lines[1]);
  }
}
