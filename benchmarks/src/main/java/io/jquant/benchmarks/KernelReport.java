package io.jquant.benchmarks;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns kernel measurements and yardsticks into rows, and rows into the table and the JSON list. */
final class KernelReport {
  private KernelReport() {}

  /**
   * The yardsticks measured in the same run.
   *
   * @param reads GB/s of a streaming read, by {@link #readKey}
   * @param fma GFLOP/s of the FMA loop, by thread count
   */
  record Yardsticks(Map<String, Double> reads, Map<Integer, Double> fma) {
    static String readKey(long bytes, String regime, int threads) {
      return bytes + "/" + regime + "/" + threads;
    }
  }

  /** One row per measurement, in the given order. */
  static List<KernelRow> rows(List<KernelMeasurement> measurements, Yardsticks yardsticks) {
    List<KernelRow> rows = new ArrayList<>(measurements.size());
    for (KernelMeasurement r : measurements) {
      boolean gemv = r.m() == 1;
      double value = gemv ? r.gigabytesPerSecond() : r.gigaflopsPerSecond();
      Double yardstick = gemv
          ? yardsticks.reads().get(Yardsticks.readKey(r.bytesPerOp(), r.regime(), r.threads()))
          : yardsticks.fma().get(r.threads());
      Double ratio = yardstick == null || yardstick <= 0 ? null : value / yardstick;
      Double vsFp32 = measurements.stream()
          .filter(f -> f.format().equals(KernelFormat.FP32.name()) && f.m() == r.m() && f.n() == r.n()
              && f.k() == r.k() && f.threads() == r.threads() && f.regime().equals(r.regime()))
          .findFirst()
          .map(f -> r.opsPerSecond() / f.opsPerSecond())
          .orElse(null);
      rows.add(new KernelRow(r.format(), r.input(), r.m(), r.n(), r.k(), r.threads(), r.regime(),
          gemv ? KernelRate.RATE : KernelRate.FLOPS, value, yardstick, ratio, vsFp32));
    }
    return rows;
  }

  private static final String[] HEADER = { "format", "input", "m", "n", "k", "threads", "regime", "metric",
      "value", "yardstick", "ratio", "vs FP32" };

  /**
   * The rows as an aligned table: text columns to the left, numbers to the right; "-" where nothing was
   * measured.
   */
  static void printTable(List<KernelRow> rows, PrintStream out) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    for (KernelRow r : rows) {
      cells.add(new String[] { r.format(), r.input(), Integer.toString(r.m()), Integer.toString(r.n()),
          Integer.toString(r.k()), Integer.toString(r.threads()), r.regime(), r.metric(), fixed(r.value(), 2),
          fixed(r.yardstick(), 2), fixed(r.ratio(), 2),
          r.vsFp32() == null ? "-" : fixed(r.vsFp32(), 2) + "x" });
    }
    int[] widths = new int[HEADER.length];
    for (String[] line : cells) {
      for (int c = 0; c < line.length; c++) {
        widths[c] = Math.max(widths[c], line[c].length());
      }
    }
    for (String[] line : cells) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < line.length; c++) {
        boolean left = c <= 1 || c == 6 || c == 7;
        String format = "%" + (left ? "-" : "") + widths[c] + "s";
        text.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, line[c]));
      }
      out.println(text.toString().stripTrailing());
    }
  }

  private static String fixed(Double value, int decimals) {
    return value == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /**
   * The rows as a JSON list of objects with the fields of {@link KernelRow}; nulls where nothing was
   * measured.
   */
  static String json(List<KernelRow> rows) {
    List<Map<String, Object>> list = new ArrayList<>(rows.size());
    for (KernelRow r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("format", r.format());
      row.put("m", r.m());
      row.put("n", r.n());
      row.put("k", r.k());
      row.put("threads", r.threads());
      row.put("metric", r.metric());
      row.put("value", r.value());
      row.put("yardstick", r.yardstick());
      row.put("ratio", r.ratio());
      row.put("regime", r.regime());
      row.put("input", r.input());
      row.put("vsFp32", r.vsFp32());
      list.add(row);
    }
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES)
          .asString(list)
          + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write rows as JSON", e);
    }
  }

  /**
   * Writes {@link #json} to {@code file} through a temporary sibling, so a failure leaves no half-written
   * file.
   */
  static void writeJson(List<KernelRow> rows, Path file) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, json(rows));
      Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
