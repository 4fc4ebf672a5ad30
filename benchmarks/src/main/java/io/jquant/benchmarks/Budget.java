package io.jquant.benchmarks;

/**
 * How long JMH measures each benchmark: forks, then warm-up and measured iterations of a fixed length.
 *
 * @param name how the command line spells it
 */
record Budget(String name, int forks, int warmupIterations, int warmupMillis, int measurementIterations,
    int measurementMillis) {
  /**
   * A look in a few seconds per benchmark. The warm-up is a second, not less: a kernel's final C2 compilation
   * lands about a second after its first calls.
   */
  static final Budget SHORT = new Budget("short", 1, 4, 250, 3, 200);

  /** Numbers to keep, as the benchmark classes' own annotations: 3 warm-up and 5 measured seconds. */
  static final Budget FULL = new Budget("full", 1, 3, 1000, 5, 1000);

  static Budget parse(String text) {
    return switch (text) {
      case "short" -> SHORT;
      case "full" -> FULL;
      default -> throw new IllegalArgumentException("--budget: expected short or full, got " + text);
    };
  }
}
