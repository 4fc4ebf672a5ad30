package io.jquant.cli;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Reports a command's progress tensor by tensor, on stderr (stdout holds only results): a progress bar on a
 * terminal, one plain line per tensor otherwise (a pipe, a log file, a test), so logs stay readable. Called
 * from one thread.
 */
interface ProgressReporter extends AutoCloseable {
  /** One tensor is done; {@code what} says what happened to it, e.g. {@code "nvfp4 [64, 128]"}. */
  void done(String tensor, String what);

  /** Ends the bar, if any. */
  @Override
  void close();

  /**
   * Whether the user watches a terminal: since JDK 22 {@code System.console()} is not null for a pipe as
   * well, so {@link java.io.Console#isTerminal()} decides.
   */
  static boolean onTerminal() {
    java.io.Console console = System.console();
    return console != null && console.isTerminal();
  }

  /** A bar when {@code terminal} (see {@link #onTerminal()}), else plain lines on {@code out} (stderr). */
  static ProgressReporter create(boolean terminal, String task, int tensors, PrintWriter out) {
    return terminal ? new Bar(task, tensors) : new Lines(tensors, out);
  }

  /** {@code [3/120] model.layers.0.mlp.down_proj.weight: nvfp4 [64, 128]} per tensor. */
  final class Lines implements ProgressReporter {
    private final int total;
    private final PrintWriter out;
    private int count;

    Lines(int total, PrintWriter out) {
      this.total = total;
      this.out = out;
    }

    @Override
    public void done(String tensor, String what) {
      count++;
      out.println("[" + count + "/" + total + "] " + tensor + ": " + what);
      out.flush();
    }

    @Override
    public void close() {}
  }

  /** me.tongfei progressbar on the terminal (stderr), the current tensor as its message. */
  final class Bar implements ProgressReporter {
    private final ProgressBar bar;

    Bar(String task, int total) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
    }

    @Override
    public void done(String tensor, String what) {
      bar.setExtraMessage(tensor);
      bar.step();
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
