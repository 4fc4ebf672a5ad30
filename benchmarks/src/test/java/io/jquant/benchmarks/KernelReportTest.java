package io.jquant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelReportTest {
  // 4096x4096: FP32 streams 64 MiB, NVFP4 8 MiB of elements + 1 MiB of scales.
  private static final long FP32_BYTES = 67_108_864;
  private static final long NVFP4_BYTES = 9_437_184;

  private static final List<KernelMeasurement> MEASUREMENTS = List.of(
      new KernelMeasurement("FP32", "f32", 1, 4096, 4096, 1, "hot", 250, FP32_BYTES),
      new KernelMeasurement("NVFP4", "f32", 1, 4096, 4096, 1, "hot", 1000, NVFP4_BYTES),
      new KernelMeasurement("NVFP4", "f32", 1, 4096, 4096, 2, "cold", 1500, NVFP4_BYTES),
      new KernelMeasurement("NVFP4", "quantized", 64, 4096, 4096, 2, "hot", 50, NVFP4_BYTES));

  private static final KernelReport.Yardsticks YARDSTICKS = new KernelReport.Yardsticks(
      Map.of(KernelReport.Yardsticks.readKey(FP32_BYTES, "hot", 1), 25.0,
          KernelReport.Yardsticks.readKey(NVFP4_BYTES, "hot", 1), 20.0,
          // Same bytes, other regime and threads: must not be taken for the rows above.
          KernelReport.Yardsticks.readKey(NVFP4_BYTES, "cold", 1), 99.0),
      Map.of(2, 400.0, 1, 200.0));

  @Test
  void gemvRowsCompareWeightBytesWithTheReadOfTheSameBytesRegimeAndThreads() {
    List<KernelRow> rows = KernelReport.rows(MEASUREMENTS, YARDSTICKS);
    KernelRow fp32 = rows.get(0);
    assertEquals("GB/s", fp32.metric());
    assertEquals(250 * 67.108864 / 1000, fp32.value(), 1e-12);
    assertEquals(25.0, fp32.yardstick());
    assertEquals(fp32.value() / 25.0, fp32.ratio(), 1e-12);
    assertEquals(1.0, fp32.vsFp32());

    KernelRow nvfp4 = rows.get(1);
    assertEquals(9.437184, nvfp4.value(), 1e-12);
    assertEquals(20.0, nvfp4.yardstick());
    assertEquals(9.437184 / 20.0, nvfp4.ratio(), 1e-12);
    assertEquals(4.0, nvfp4.vsFp32(), 1e-12);

    KernelRow cold = rows.get(2);
    assertNull(cold.yardstick(), "no cold read on 2 threads was measured");
    assertNull(cold.ratio());
    assertNull(cold.vsFp32(), "no FP32 on 2 threads cold was measured");
  }

  @Test
  void gemmRowsCompareFlopsWithTheFmaLoopOnAsManyThreads() {
    KernelRow gemm = KernelReport.rows(MEASUREMENTS, YARDSTICKS).get(3);
    assertEquals("GFLOP/s", gemm.metric());
    assertEquals(50 * 2.0 * 64 * 4096 * 4096 / 1e9, gemm.value(), 1e-9);
    assertEquals(400.0, gemm.yardstick());
    assertEquals(gemm.value() / 400.0, gemm.ratio(), 1e-12);
  }

  private static final List<KernelRow> ROWS = List.of(
      new KernelRow("FP32", "f32", 1, 4096, 4096, 1, "hot", "GB/s", 16.777216, 25.0, 0.67108864, 1.0),
      new KernelRow("FP8_BLOCK", "quantized", 64, 11008, 4096, 2, "cold", "GFLOP/s", 123.456, null, null,
          3.5));

  @Test
  void tableAlignsTextLeftAndNumbersRight() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    KernelReport.printTable(ROWS, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("""
        format     input       m      n     k  threads  regime  metric    value  yardstick  ratio  vs FP32
        FP32       f32         1   4096  4096        1  hot     GB/s      16.78      25.00   0.67    1.00x
        FP8_BLOCK  quantized  64  11008  4096        2  cold    GFLOP/s  123.46          -      -    3.50x
        """, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void jsonIsAListOfRowsWithTheIssuesFieldsFirst() {
    assertEquals("""
        [ {
          "format" : "FP32",
          "m" : 1,
          "n" : 4096,
          "k" : 4096,
          "threads" : 1,
          "metric" : "GB/s",
          "value" : 16.777216,
          "yardstick" : 25.0,
          "ratio" : 0.67108864,
          "regime" : "hot",
          "input" : "f32",
          "vsFp32" : 1.0
        }, {
          "format" : "FP8_BLOCK",
          "m" : 64,
          "n" : 11008,
          "k" : 4096,
          "threads" : 2,
          "metric" : "GFLOP/s",
          "value" : 123.456,
          "yardstick" : null,
          "ratio" : null,
          "regime" : "cold",
          "input" : "quantized",
          "vsFp32" : 3.5
        } ]
        """, KernelReport.json(ROWS));
  }

  @Test
  void writesTheJsonFileAndNothingElse(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("rows.json");
    Files.writeString(file, "old");
    KernelReport.writeJson(ROWS, file);
    assertEquals(KernelReport.json(ROWS), Files.readString(file));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }
}
