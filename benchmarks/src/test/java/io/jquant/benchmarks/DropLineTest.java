package io.jquant.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DropLineTest {
  @Test
  void dropsOnlyWholeLinesEqualToTheWarning() throws IOException {
    String warning = DropLine.INCUBATOR_WARNING + "\n";
    String input = warning + "# Fork: 1 of 1\n" + warning + "WARNING: Using incubator modules: other\n"
        + "x" + warning + "Iteration 1: 3.5 ops/s\n" + "WARNING: Using";

    assertEquals("# Fork: 1 of 1\nWARNING: Using incubator modules: other\nx" + warning
        + "Iteration 1: 3.5 ops/s\nWARNING: Using", filter(input));
  }

  @Test
  void passesADifferingLineAtOnceWithoutWaitingForItsEnd() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DropLine drop = new DropLine(out, DropLine.INCUBATOR_WARNING);

    drop.write("Iteration   1: ".getBytes(StandardCharsets.UTF_8));

    assertEquals("Iteration   1: ", out.toString(StandardCharsets.UTF_8));
  }

  private static String filter(String input) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DropLine drop = new DropLine(out, DropLine.INCUBATOR_WARNING)) {
      drop.write(input.getBytes(StandardCharsets.UTF_8));
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
