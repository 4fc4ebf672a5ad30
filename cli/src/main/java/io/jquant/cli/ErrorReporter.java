package io.jquant.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;

/**
 * Turns an exception out of a command into one line on stderr and an exit code: bad input (I/O, malformed
 * files, tensors the runtime refuses) is {@link ExitCodes#BAD_INPUT}, anything else
 * {@link ExitCodes#INTERNAL}. The stack trace follows only with {@code --verbose}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    Throwable cause = unwrap(ex);
    PrintWriter err = cmd.getErr();
    int code = exitCode(cause);
    err.println(code == ExitCodes.BAD_INPUT
        ? "error: " + message(cause)
        : internalError(cause, verbose(parsed)));
    if (verbose(parsed)) {
      cause.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The one line of an internal error (a bug): the exception, and how to see its stack trace. */
  static String internalError(Throwable cause, boolean verbose) {
    return "internal error: " + String.valueOf(cause).replace('\n', ' ')
        + (verbose ? "" : " (rerun with --verbose for the stack trace)");
  }

  /** The exit code of an exception that escaped a command. */
  static int exitCode(Throwable ex) {
    Throwable cause = unwrap(ex);
    return cause instanceof BadInputException || cause instanceof IOException
        || cause instanceof IllegalArgumentException ? ExitCodes.BAD_INPUT : ExitCodes.INTERNAL;
  }

  /** The one-line message of a bad-input exception: what went wrong and where. */
  static String message(Throwable ex) {
    Throwable cause = unwrap(ex);
    if (cause instanceof FileSystemException fs && fs.getFile() != null) {
      // The subclasses carry no reason of their own; the plain class carries the OS's (a symbolic link
      // loop, no space left on device, file too large, ...).
      String what = switch (fs) {
        case NoSuchFileException ignored -> "no such file or directory";
        case AccessDeniedException ignored -> "permission denied";
        case FileAlreadyExistsException ignored -> "already exists";
        case DirectoryNotEmptyException ignored -> "directory not empty";
        case NotDirectoryException ignored -> "not a directory";
        default -> fs.getReason() == null ? fs.getClass().getSimpleName() : fs.getReason();
      };
      return fs.getFile() + ": " + what + (fs.getOtherFile() == null ? "" : " (" + fs.getOtherFile() + ")");
    }
    String message = cause.getMessage();
    return message == null ? cause.toString() : message.replace('\n', ' ');
  }

  private static Throwable unwrap(Throwable ex) {
    Throwable cause = ex;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException
        || cause instanceof UncheckedIOException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static boolean verbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult result = parsed; result != null; result = result.subcommand()) {
      if (result.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
