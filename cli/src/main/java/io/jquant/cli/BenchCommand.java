package io.jquant.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code jquant bench ARGS...}: hands its arguments to the benchmarks module's
 * {@code io.jquant.benchmarks.KernelBench.run(String[], PrintStream)}. It is looked up at run time, so the
 * command reports "not built" instead of failing to link when the jar was built without that module.
 */
@Command(name = "bench", mixinStandardHelpOptions = false,
    header = "Run the kernel benchmark.",
    description = "Runs the kernel benchmark (io.jquant.benchmarks.KernelBench) with ARGS;"
        + " 'jquant bench --help' is its own help.")
final class BenchCommand implements Callable<Integer> {
  static final String BENCH_CLASS = "io.jquant.benchmarks.KernelBench";

  @Unmatched List<String> unmatched = new ArrayList<>();

  @Parameters(paramLabel = "ARGS", description = "Arguments for the benchmark.")
  List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<String> all = new ArrayList<>(args);
    all.addAll(unmatched);
    Method run;
    try {
      run = Class.forName(BENCH_CLASS).getMethod("run", String[].class, PrintStream.class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new BadInputException("bench: not built: " + BENCH_CLASS + ".run(String[], PrintStream) is not in"
          + " this jar (the cli module does not depend on the benchmarks module yet)");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (PrintStream stream = new StreamToWriter(out)) {
      return (Integer) run.invoke(null, all.toArray(String[]::new), stream);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** A PrintStream that forwards to picocli's writer, so tests and callers capture the benchmark's output. */
  private static final class StreamToWriter extends PrintStream {
    StreamToWriter(PrintWriter writer) {
      super(new java.io.OutputStream() {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

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
      }, true, StandardCharsets.UTF_8);
    }
  }
}
