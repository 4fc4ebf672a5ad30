package io.jquant.cli;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An output directory that appears whole or not at all: a command writes into {@link #dir()}, a hidden
 * temporary directory beside the target ({@link TempOutputDirs}), and {@link #commit()} renames it to the
 * target (one atomic rename on the same file system). {@link #close()} without a commit deletes the temporary
 * directory, so a failure leaves no half-written output.
 *
 * <p>Interruptions: on SIGTERM or SIGINT (Ctrl-C) a shutdown hook deletes the temporary directory unless the
 * rename already happened; the rename and the hook exclude each other, so the target is either the whole
 * output or untouched. A SIGKILL runs no hook: the next {@link #begin} for the same target removes the
 * temporary directories whose process is gone and reports them ({@link #removedStale()}).
 *
 * <p>Permissions: the target gets the mode of a new directory under the umask, or keeps the mode of the empty
 * directory it replaces.
 */
final class OutputTransaction implements AutoCloseable {
  private final Path target;
  private final Path temp;
  private final Set<PosixFilePermission> targetMode;
  private final List<String> removedStale;
  private final Thread onExit = new Thread(this::abandon, "jquant-output-cleanup");
  private final Object lock = new Object();
  private boolean committed;
  private boolean abandoned;

  private OutputTransaction(Path target, Path temp, Set<PosixFilePermission> targetMode,
      List<String> removedStale) {
    this.target = target;
    this.temp = temp;
    this.targetMode = targetMode;
    this.removedStale = removedStale;
  }

  /**
   * Starts writing {@code target}, which must not exist or be an empty directory, after removing the
   * temporary directories that killed runs left beside it.
   *
   * @throws FileAlreadyExistsException when {@code target} is a file
   * @throws DirectoryNotEmptyException when {@code target} is a directory with something in it
   */
  static OutputTransaction begin(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    Set<PosixFilePermission> mode = null;
    if (Files.isDirectory(absolute)) {
      try (Stream<Path> entries = Files.list(absolute)) {
        if (entries.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(target.toString());
        }
      }
      PosixFileAttributeView posix = Files.getFileAttributeView(absolute, PosixFileAttributeView.class);
      mode = posix == null ? null : posix.readAttributes().permissions();
    } else if (Files.exists(absolute)) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
    }
    Path parent = absolute.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new NoSuchFileException(String.valueOf(parent), null, "the output's parent directory");
    }
    String name = absolute.getFileName().toString();
    List<String> stale = TempOutputDirs.removeAbandoned(parent, name);
    OutputTransaction transaction = new OutputTransaction(absolute, TempOutputDirs.create(parent, name), mode,
        List.copyOf(stale));
    Runtime.getRuntime().addShutdownHook(transaction.onExit);
    return transaction;
  }

  /** Where to write the output until {@link #commit()}. */
  Path dir() {
    return temp;
  }

  /** One line per temporary directory of a killed run that {@link #begin} found: removed, or why not. */
  List<String> removedStale() {
    return removedStale;
  }

  /**
   * Moves the finished output into place.
   *
   * @throws IOException when the run is being interrupted (the output is then deleted) or the rename fails
   */
  void commit() throws IOException {
    synchronized (lock) {
      if (abandoned) {
        throw new IOException(target + ": not written, the run was interrupted");
      }
      if (targetMode != null) {
        Files.setPosixFilePermissions(temp, targetMode);
      }
      try {
        // rename(2) replaces an empty directory in one step, so the target is never missing meanwhile.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
        Files.delete(target); // a file system whose rename does not replace directories; checked empty
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      committed = true;
    }
  }

  /** Deletes the temporary directory unless committed. */
  @Override
  public void close() throws IOException {
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs (or ran) and deletes the directory itself.
    }
    synchronized (lock) {
      if (!committed && !abandoned && Files.exists(temp)) {
        deleteTree(temp);
      }
    }
  }

  /**
   * The shutdown hook: unless committed, deletes the temporary directory, retrying because the command's
   * threads keep writing into it until the JVM halts.
   */
  private void abandon() {
    synchronized (lock) {
      if (committed) {
        return;
      }
      abandoned = true;
      for (int attempt = 0; attempt < 20 && Files.exists(temp); attempt++) {
        try {
          deleteTree(temp);
        } catch (IOException retry) {
          Thread.onSpinWait(); // a file appeared or vanished under the walk; walk again
        }
      }
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
