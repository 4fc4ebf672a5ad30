package io.jquant.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line of {@link KernelBench}: which kernels to measure, how long, and where to write JSON. Lists
 * are comma-separated ({@code --formats NVFP4,FP32}); each option may be given once.
 *
 * @param json where to write the rows as JSON, or null
 * @param verbose whether JMH's own progress output is shown
 * @param help whether only the usage was asked for
 */
record KernelBenchOptions(List<KernelFormat> formats, List<String> shapes, List<Integer> ms,
    List<Integer> threads, List<String> regimes, List<String> inputs, Budget budget, Path json,
    boolean verbose,
    boolean help) {

  static final String USAGE = """
      Usage: jquant bench [options]
      Measures the quantized Linear kernels against this machine's yardsticks (streaming reads for m = 1,
      float32 FMA for m > 1) and prints one row per kernel.
        --formats LIST   FP32,BF16,NVFP4,MXFP4,MXFP8,FP8_TENSOR,FP8_CHANNEL,FP8_BLOCK,INT8 (default: all)
        --shapes LIST    weight shapes NxK (default: 4096x4096,11008x4096)
        --m LIST         activation rows (default: 1,64)
        --threads LIST   kernel threads (default: 1,2)
        --regimes LIST   hot (one weight, cache-resident when it fits), cold (> 1 GiB of weights cycled)
                         (default: hot,cold)
        --inputs LIST    f32 (weight-only), quantized (the format's activation quantizer) (default: f32)
        --budget NAME    short (about 2 s a benchmark) or full (8 s) (default: short)
        --json FILE      also write the rows as a JSON list
        --verbose        show JMH's own output
        -h, --help       this text
      """;

  static KernelBenchOptions defaults() {
    return new KernelBenchOptions(List.of(KernelFormat.values()), List.of("4096x4096", "11008x4096"),
        List.of(1, 64), List.of(1, 2), List.of("hot", "cold"), List.of("f32"), Budget.SHORT, null, false,
        false);
  }

  /**
   * Reads the arguments over {@link #defaults()}.
   *
   * @throws IllegalArgumentException naming the option and the value it cannot use
   */
  static KernelBenchOptions parse(String... args) {
    KernelBenchOptions d = defaults();
    List<KernelFormat> formats = d.formats;
    List<String> shapes = d.shapes;
    List<Integer> ms = d.ms;
    List<Integer> threads = d.threads;
    List<String> regimes = d.regimes;
    List<String> inputs = d.inputs;
    Budget budget = d.budget;
    Path json = null;
    boolean verbose = false;
    boolean help = false;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (!seen.add(option)) {
        throw new IllegalArgumentException(option + " given twice");
      }
      switch (option) {
        case "-h", "--help" -> help = true;
        case "--verbose" -> verbose = true;
        case "--formats", "--shapes", "--m", "--threads", "--regimes", "--inputs", "--budget", "--json" -> {
          if (i + 1 == args.length || args[i + 1].isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
          }
          String value = args[++i];
          switch (option) {
            case "--formats" -> formats = list(option, value, KernelBenchOptions::format);
            case "--shapes" -> shapes = list(option, value, KernelBenchOptions::shape);
            case "--m" -> ms = list(option, value, KernelBenchOptions::positive);
            case "--threads" -> threads = list(option, value, KernelBenchOptions::positive);
            case "--regimes" -> regimes = list(option, value, v -> Regime.parse(v).label());
            case "--inputs" -> inputs = list(option, value, KernelBenchOptions::input);
            case "--budget" -> budget = Budget.parse(value);
            default -> json = Path.of(value);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return new KernelBenchOptions(formats, shapes, ms, threads, regimes, inputs, budget, json, verbose, help);
  }

  private static <T> List<T> list(String option, String value, Function<String, T> item) {
    List<T> items = new ArrayList<>();
    for (String text : value.split(",", -1)) {
      T parsed;
      try {
        parsed = item.apply(text.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
      }
      if (!items.contains(parsed)) {
        items.add(parsed);
      }
    }
    return List.copyOf(items);
  }

  private static KernelFormat format(String text) {
    for (KernelFormat format : KernelFormat.values()) {
      if (format.name().equals(text.toUpperCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown format " + text + " (expected one of "
        + String.join(", ", Arrays.stream(KernelFormat.values()).map(Enum::name).toList()) + ")");
  }

  private static String shape(String text) {
    Shape shape = Shape.parse(text);
    return shape.rows() + "x" + shape.cols();
  }

  private static Integer positive(String text) {
    try {
      int value = Integer.parseInt(text);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "expected a positive integer, got " + (text.isEmpty() ? "nothing" : text));
  }

  private static String input(String text) {
    Inputs.parseInput(text);
    return text;
  }
}
