package io.jquant.cli;

import io.jquant.runtime.kernel.KernelPlan;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
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

/**
 * {@code jquant bench ARGS...}: hands every argument, in order, to the benchmarks module's
 * {@code io.jquant.benchmarks.KernelBench.run(String[], PrintStream, PrintStream)} and returns its exit code
 * (0 done, 1 a benchmark failed, 2 bad arguments). {@code jquant bench --help} prints the runner's options.
 * {@code jquant bench --plan} prints instead which kernel loop runs for how many rows of each format on this
 * CPU ({@link KernelPlan#lines()}) and exits 0, without the runner.
 *
 * <p>jquant.jar carries no benchmark code (JMH alone is hundreds of classes): the runner is looked up on the
 * class path when this command runs, and {@code ./jquant bench} puts benchmarks/target/benchmarks.jar there.
 */
@Command(name = "bench",
    header = "Run the kernel benchmark.",
    description = "Measures the quantized Linear kernels against this machine's yardsticks"
        + " (io.jquant.benchmarks.KernelBench, from benchmarks/target/benchmarks.jar, which ./jquant bench"
        + " puts on the class path); 'jquant bench --help' lists its options; 'jquant bench --plan' prints"
        + " which kernel loop runs for how many rows of each format on this CPU.")
final class BenchCommand implements Callable<Integer> {
  /** The option that prints the kernel plan instead of running a benchmark. */
  static final String PLAN = "--plan";

  /** The runner's class, in the benchmarks module. */
  static final String RUNNER = "io.jquant.benchmarks.KernelBench";

  @Parameters(paramLabel = "ARGS", description = "Arguments for the benchmark runner.")
  List<String> args = new ArrayList<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (args.contains(PLAN)) {
      if (args.size() != 1) {
        throw new BadInputException(PLAN + " takes no other arguments, got: " + String.join(" ", args));
      }
      PrintWriter out = spec.commandLine().getOut();
      KernelPlan.current().lines().forEach(out::println);
      out.flush();
      return 0;
    }
    Method run = runner();
    try (PrintStream out = stream(spec.commandLine().getOut());
        PrintStream err = stream(spec.commandLine().getErr())) {
      return (Integer) run.invoke(null, args.toArray(String[]::new), out, err);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static Method runner() throws NoSuchMethodException {
    try {
      return Class.forName(RUNNER).getMethod("run", String[].class, PrintStream.class, PrintStream.class);
    } catch (ClassNotFoundException e) {
      throw new BadInputException("benchmarks/target/benchmarks.jar: not on the class path (no " + RUNNER
          + "); run the benchmark as ./jquant bench, which builds that jar and adds it", e);
    }
  }

  private static PrintStream stream(PrintWriter writer) {
    return new PrintStream(new ToWriter(writer), true, StandardCharsets.UTF_8);
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
