package io.jquant.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hidden directories a command writes its output into before the rename: {@code .OUT.jquant-PID-HEX}
 * beside {@code OUT}, named after the process that owns it. A run that was killed (SIGKILL, a crash of the
 * JVM) cannot remove its own; the next run for the same {@code OUT} removes those whose process is gone.
 */
final class TempOutputDirs {
  private TempOutputDirs() {}

  /** The name every temporary directory of {@code outName} starts with. */
  static String prefix(String outName) {
    return "." + outName + ".jquant-";
  }

  /**
   * A new empty directory {@code .OUT.jquant-PID-HEX} in {@code parent}. Not
   * {@code Files.createTempDirectory}: that makes it owner-only (0700) on POSIX, and the output would keep
   * that mode after the rename; this one gets the mode of any new directory under the umask.
   */
  static Path create(Path parent, String outName) throws IOException {
    String name = prefix(outName) + ProcessHandle.current().pid() + "-";
    for (int attempt = 0;; attempt++) {
      Path dir = parent.resolve(name + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 100) {
          throw e;
        }
      }
    }
  }

  /** The process id in a temporary directory's name ({@code .OUT.jquant-PID-HEX}), if it is one of OUT's. */
  static OptionalLong owner(String fileName, String outName) {
    String prefix = prefix(outName);
    if (!fileName.startsWith(prefix)) {
      return OptionalLong.empty();
    }
    String rest = fileName.substring(prefix.length());
    int dash = rest.indexOf('-');
    if (dash < 1 || dash > 18 || !rest.substring(0, dash).chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(rest.substring(0, dash)));
  }

  /**
   * Removes the temporary directories of {@code outName} in {@code parent} whose owning process is no longer
   * running, and says what it did: one line per directory, removed or not (a directory of a live process,
   * even another run for the same OUT, is never touched; neither is a symbolic link).
   */
  static List<String> removeAbandoned(Path parent, String outName) throws IOException {
    List<String> report = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
      for (Path entry : entries) {
        OptionalLong pid = owner(entry.getFileName().toString(), outName);
        if (pid.isEmpty() || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            || isRunning(pid.getAsLong())) {
          continue;
        }
        String what = entry + ", the temporary output of an interrupted run (process " + pid.getAsLong()
            + ", no longer running)";
        try {
          OutputTransaction.deleteTree(entry);
          report.add("removed " + what);
        } catch (IOException e) {
          report.add("could not remove " + what + ": " + e);
        }
      }
    }
    return report;
  }

  private static boolean isRunning(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
