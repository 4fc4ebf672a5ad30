package io.jquant.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code jquant bench}: runs {@link KernelBenchmark} for the chosen formats and shapes, then the yardsticks
 * the rows need ({@link ReadYardstick} of each kernel's weight bytes for m = 1, {@link FmaYardstick} for m
 * &gt; 1), all through JMH's API in forked JVMs, and prints one row per kernel: its GB/s or GFLOP/s, the
 * yardstick and their ratio. The forks run on the class path of this JVM, so it must hold this module and
 * JMH.
 */
public final class KernelBench {
  private KernelBench() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the benchmarks the arguments choose ({@link KernelBenchOptions#USAGE}): the table (or the usage, for
   * {@code --help}) goes to {@code out}; progress, JMH's output and errors (each one line) go to {@code err}.
   * {@code jquant bench} calls this by reflection: the cli module does not depend on this one.
   *
   * @return 0 on success, 1 when a benchmark or the JSON file failed, 2 for bad arguments
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    KernelBenchOptions options;
    try {
      options = KernelBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage() + " (see 'jquant bench --help')");
      return 2;
    }
    if (options.help()) {
      out.print(KernelBenchOptions.USAGE);
      return 0;
    }
    return run(options, out, err);
  }

  static int run(KernelBenchOptions options, PrintStream out, PrintStream err) {
    try {
      List<KernelMeasurement> kernels = measureKernels(options, err);
      KernelReport.Yardsticks yardsticks = measureYardsticks(options, kernels, err);
      List<KernelRow> rows = KernelReport.rows(kernels, yardsticks);
      KernelReport.printTable(rows, out);
      if (options.json() != null) {
        KernelReport.writeJson(rows, options.json());
      }
      return 0;
    } catch (RunnerException e) {
      String message = String.valueOf(e.getMessage()).replace('\n', ' ');
      err.println("error: jquant bench: a benchmark failed: " + message);
      return 1;
    } catch (IOException e) {
      err.println("error: " + options.json() + ": cannot write: " + e.getMessage());
      return 1;
    }
  }

  /** One JMH run per format: FP32 and BF16 have no activation quantizer, so they run with f32 inputs only. */
  private static List<KernelMeasurement> measureKernels(KernelBenchOptions options, PrintStream progress)
      throws RunnerException {
    List<KernelMeasurement> measurements = new ArrayList<>();
    for (KernelFormat format : options.formats()) {
      List<String> inputs = format.quantized() ? options.inputs() : List.of("f32");
      progress.println("jquant bench: " + format + " kernels");
      ChainedOptionsBuilder builder = jmh(options, KernelBenchmark.class, "forward")
          .param("format", format.name())
          .param("shape", options.shapes().toArray(String[]::new))
          .param("m", strings(options.ms()))
          .param("regime", options.regimes().toArray(String[]::new))
          .param("threads", strings(options.threads()))
          .param("input", inputs.toArray(String[]::new));
      for (RunResult result : run(builder, options, progress)) {
        Shape shape = Shape.parse(param(result, "shape"));
        measurements.add(new KernelMeasurement(param(result, "format"), param(result, "input"),
            Integer.parseInt(param(result, "m")), shape.rows(), shape.cols(),
            Integer.parseInt(param(result, "threads")), param(result, "regime"),
            result.getPrimaryResult().getScore(), Math.round(secondary(result, KernelRate.BYTES))));
      }
    }
    return measurements;
  }

  /**
   * The read yardstick for every weight size a GEMV row streamed, and the FMA loop when a GEMM row needs it.
   */
  private static KernelReport.Yardsticks measureYardsticks(KernelBenchOptions options,
      List<KernelMeasurement> kernels, PrintStream progress) throws RunnerException {
    Set<String> bytes = new LinkedHashSet<>();
    boolean gemm = false;
    for (KernelMeasurement kernel : kernels) {
      if (kernel.m() == 1) {
        bytes.add(Long.toString(kernel.bytesPerOp()));
      } else {
        gemm = true;
      }
    }
    Map<String, Double> reads = new HashMap<>();
    if (!bytes.isEmpty()) {
      progress.println("jquant bench: read yardstick");
      ChainedOptionsBuilder builder = jmh(options, ReadYardstick.class, "read")
          .param("bytes", bytes.toArray(String[]::new))
          .param("regime", options.regimes().toArray(String[]::new))
          .param("threads", strings(options.threads()));
      for (RunResult result : run(builder, options, progress)) {
        reads.put(
            KernelReport.Yardsticks.readKey(Long.parseLong(param(result, "bytes")), param(result, "regime"),
                Integer.parseInt(param(result, "threads"))),
            secondary(result, KernelRate.RATE));
      }
    }
    Map<Integer, Double> fma = new HashMap<>();
    if (gemm) {
      progress.println("jquant bench: FMA yardstick");
      ChainedOptionsBuilder builder = jmh(options, FmaYardstick.class, "fma")
          .param("threads", strings(options.threads()));
      for (RunResult result : run(builder, options, progress)) {
        fma.put(Integer.parseInt(param(result, "threads")), secondary(result, KernelRate.FLOPS));
      }
    }
    return new KernelReport.Yardsticks(reads, fma);
  }

  private static ChainedOptionsBuilder jmh(KernelBenchOptions options, Class<?> benchmark, String method) {
    Budget budget = options.budget();
    return new OptionsBuilder()
        .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
        .forks(budget.forks())
        .warmupIterations(budget.warmupIterations())
        .warmupTime(TimeValue.milliseconds(budget.warmupMillis()))
        .measurementIterations(budget.measurementIterations())
        .measurementTime(TimeValue.milliseconds(budget.measurementMillis()))
        // Kernel threads come from the benchmark's own parameter; a second JMH thread would double the work.
        .threads(1)
        .jvmArgsAppend(Jvm.forkArgs())
        .addProfiler(KernelRate.class)
        .shouldFailOnError(true);
  }

  private static Collection<RunResult> run(ChainedOptionsBuilder builder, KernelBenchOptions options,
      PrintStream progress) throws RunnerException {
    VerboseMode mode = options.verbose() ? VerboseMode.NORMAL : VerboseMode.SILENT;
    PrintStream filtered = new PrintStream(new DropLine(progress, DropLine.INCUBATOR_WARNING), true,
        StandardCharsets.UTF_8);
    OutputFormat format = OutputFormatFactory.createFormatInstance(filtered, mode);
    return new Runner(builder.verbosity(mode).build(), format).run();
  }

  private static String param(RunResult result, String name) {
    return result.getParams().getParam(name);
  }

  @SuppressWarnings("rawtypes") // JMH's map holds the raw Result.
  private static double secondary(RunResult result, String label) {
    Result value = result.getSecondaryResults().get(label);
    if (value == null) {
      throw new IllegalStateException(result.getParams().getBenchmark() + " reported no " + label
          + " (is the KernelRate profiler missing?)");
    }
    return value.getScore();
  }

  private static String[] strings(List<Integer> values) {
    return values.stream().map(String::valueOf).toArray(String[]::new);
  }
}
