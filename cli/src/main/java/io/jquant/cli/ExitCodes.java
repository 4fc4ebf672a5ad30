package io.jquant.cli;

/**
 * The exit codes of every {@code jquant} command. 0 and 2 are picocli's own {@code OK} and {@code USAGE}; 1
 * and 3 split picocli's single "software" code into the user's fault and ours.
 */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int OK = 0;
  /** Bad input: a missing or malformed file, a tensor that cannot be read or quantized, a bad format. */
  public static final int BAD_INPUT = 1;
  /** A usage error: an unknown option, a missing argument, a value picocli cannot convert. */
  public static final int USAGE = 2;
  /** An internal error: a bug in jquant; rerun with {@code --verbose} for the stack trace. */
  public static final int INTERNAL = 3;

  private ExitCodes() {}
}
