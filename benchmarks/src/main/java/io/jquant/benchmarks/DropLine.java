package io.jquant.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes bytes through, except whole lines equal to one given line. JMH echoes each forked JVM's stderr,
 * which starts with the JVM's "Using incubator modules" warning: one line per fork, noise in
 * {@code jquant bench}'s progress. Only bytes that could still be that line are held back, so other output is
 * not delayed.
 */
final class DropLine extends OutputStream {
  /** The line every JVM started with {@code --add-modules jdk.incubator.vector} prints first. */
  static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

  private final OutputStream out;
  private final byte[] line;
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();
  /** Whether the current line already differs from {@link #line} (then it passes straight through). */
  private boolean passing;

  DropLine(OutputStream out, String line) {
    this.out = out;
    this.line = (line + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void write(int b) throws IOException {
    if (passing) {
      out.write(b);
      passing = b != '\n';
      return;
    }
    held.write(b);
    int n = held.size();
    if (line[n - 1] != (byte) b) {
      held.writeTo(out);
      held.reset();
      passing = b != '\n';
    } else if (n == line.length) {
      held.reset();
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    held.writeTo(out);
    held.reset();
    out.flush();
  }
}
