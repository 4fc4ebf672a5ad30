package io.jquant.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}, mixed into the commands jquant parses itself; {@link ErrorReporter} looks for it. Not
 * inherited by {@code bench}, whose own {@code --verbose} goes to the benchmark runner.
 */
final class VerboseOption {
  @Option(names = "--verbose", description = "Print stack traces with errors.")
  boolean verbose;
}
