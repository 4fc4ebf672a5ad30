package io.jquant.cli;

/**
 * A problem with what the user gave a command (a path, a tensor, a format): reported as one line on stderr
 * with exit code {@link ExitCodes#BAD_INPUT}, never as a stack trace.
 */
public final class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error whose message names the problem and the place. */
  public BadInputException(String message) {
    super(message);
  }

  /** An error whose message names the problem and the place, caused by {@code cause}. */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
