package io.jquant.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jquant} command: its subcommands, options shared by all of them, and its exit codes. */
@Command(
    name = "jquant",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Inspect, quantize and dequantize safetensors checkpoints; run the kernel benchmark.",
    subcommands = {
        InspectCommand.class,
        QuantizeCommand.class,
        DequantizeCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    footerHeading = "%nStreams:%n",
    footer = "Results go to stdout; errors, warnings and progress go to stderr, each error as one line.",
    exitCodeList = {
        "0:done",
        "1:bad input: a missing, unreadable or malformed file, tensor or format (one line on stderr)",
        "2:usage error: unknown command or option, missing or bad argument (one line on stderr)",
        "3:internal error (rerun with --verbose for the stack trace)"
    })
public final class Main implements Runnable {
  @CommandLine.Mixin
  VerboseOption verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // `jquant` alone: say what there is, as a usage error (no command given).
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** Runs {@code jquant args} and exits with its code. */
  public static void main(String[] args) {
    int code;
    try {
      code = commandLine().execute(args);
    } catch (Throwable t) {
      // picocli hands only Exceptions to ErrorReporter; an Error (OutOfMemoryError, ...) would otherwise
      // end the JVM with a stack trace and exit code 1, the code of bad input.
      boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
      System.err.println(ErrorReporter.internalError(t, verbose));
      if (verbose) {
        t.printStackTrace();
      }
      code = ExitCodes.INTERNAL;
    }
    System.exit(code);
  }

  /**
   * The configured command line: subcommands, exit codes (see {@link ExitCodes}) and the one-line error
   * handler. Tests call {@code execute} on it with their own writers.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // bench hands every argument, options included, to the benchmark runner in their order.
    cli.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
    cli.setParameterExceptionHandler(Main::usageError);
    return cli;
  }

  /** The same command line writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli;
  }

  /** One line, as every refusal: what is wrong and where the help is. */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + ex.getMessage().replace('\n', ' ') + " (see '"
        + cmd.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** The version printed by {@code --version}: the jar's implementation version when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] { "jquant " + (version == null ? "(development build)" : version) };
    }
  }
}
