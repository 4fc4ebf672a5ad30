package io.jquant.cli;

import io.jquant.benchmarks.KernelBench;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jquant bench ARGS...}: hands every argument, in order, to the benchmarks module's
 * {@link KernelBench#run(String[], PrintStream)} and returns its exit code (0 done, 1 a benchmark failed,
 * 2 bad arguments). {@code jquant bench --help} prints the runner's own options.
 */
@Command(name = "bench",
    header = "Run the kernel benchmark.",
    description = "Measures the quantized Linear kernels against this machine's yardsticks"
        + " (io.jquant.benchmarks.KernelBench); 'jquant bench --help' lists its options.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ARGS", description = "Arguments for the benchmark runner.")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (PrintStream stream = new PrintStream(new ToWriter(out), true, StandardCharsets.UTF_8)) {
      return KernelBench.run(args.toArray(String[]::new), stream);
    }
  }

  /** Forwards the runner's bytes to picocli's writer line by line, so callers and tests capture them. */
  private static final class ToWriter extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    ToWriter(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      writer.print(line.toString(StandardCharsets.UTF_8));
      writer.flush();
      line.reset();
    }
  }
}
