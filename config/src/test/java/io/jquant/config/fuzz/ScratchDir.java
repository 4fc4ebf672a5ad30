package io.jquant.config.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory for the fuzz cases' files, on {@code /dev/shm} (memory) when the machine has it: the cases
 * write thousands of small files, and a disk under other builds' load takes milliseconds for each. Deleted
 * with everything in it on {@link #close()}.
 */
public final class ScratchDir implements AutoCloseable {
  private static final Path SHM = Path.of("/dev/shm");

  private final Path path;

  private ScratchDir(Path path) {
    this.path = path;
  }

  /** A new directory in memory when possible, else under {@code fallback} (e.g. a JUnit temp dir). */
  public static ScratchDir create(Path fallback) {
    try {
      Path parent = Files.isDirectory(SHM) && Files.isWritable(SHM) ? SHM : fallback;
      return new ScratchDir(Files.createTempDirectory(parent, "jquant-fuzz-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
