package io.jquant.cli;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * An output directory that appears whole or not at all: a command writes into {@link #dir()}, a hidden
 * temporary directory beside the target, and {@link #commit()} renames it to the target (one atomic rename on
 * the same file system). {@link #close()} without a commit deletes the temporary directory, so a failure
 * leaves no half-written output.
 */
final class OutputTransaction implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private boolean committed;

  private OutputTransaction(Path target, Path temp) {
    this.target = target;
    this.temp = temp;
  }

  /**
   * Starts writing {@code target}, which must not exist or be an empty directory.
   *
   * @throws FileAlreadyExistsException when {@code target} is a file
   * @throws DirectoryNotEmptyException when {@code target} is a directory with something in it
   */
  static OutputTransaction begin(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      try (Stream<Path> entries = Files.list(absolute)) {
        if (entries.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(target.toString());
        }
      }
    } else if (Files.exists(absolute)) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new NoSuchFileException(String.valueOf(parent), null, "the output's parent directory");
    }
    Path temp = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".jquant-");
    return new OutputTransaction(absolute, temp);
  }

  /** Where to write the output until {@link #commit()}. */
  Path dir() {
    return temp;
  }

  /** Moves the finished output into place. */
  void commit() throws IOException {
    if (Files.isDirectory(target)) {
      Files.delete(target); // empty, checked in begin(); a rename cannot replace a directory
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    committed = true;
  }

  /** Deletes the temporary directory unless committed. */
  @Override
  public void close() throws IOException {
    if (!committed && Files.exists(temp)) {
      deleteTree(temp);
    }
  }

  static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
