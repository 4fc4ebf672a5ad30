package io.jquant.runtime.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files that appear whole or not at all: the content goes to a hidden temporary file in the target's
 * directory (same file system, so the final rename is atomic), is flushed to disk, and is renamed over the
 * target. Any failure, checked or not, deletes the temporary file.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of a file to an open channel. */
  @FunctionalInterface
  interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  /** Writes {@code target} atomically, replacing an existing file. */
  static void write(Path target, Content content) throws IOException {
    Path temp = createTemp(target);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        channel.force(true);
      } catch (FileSystemException e) {
        throw e;
      } catch (IOException e) {
        // A failed write says only why ("No space left on device", "File too large"): add the file.
        throw (IOException) new FileSystemException(target.toString(), null, e.getMessage()).initCause(e);
      }
      move(temp, target);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Writes all of {@code buffer}: one channel write may write only part of it. */
  static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Renames {@code source} to {@code target} atomically when the file system can, else replacing it. */
  static void move(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * A new empty file next to {@code target}. Not {@code Files.createTempFile}: that makes the file owner-only
   * (0600) on POSIX and the checkpoint would keep those permissions after the rename; this one gets the usual
   * umask permissions.
   */
  static Path createTemp(Path target) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    String prefix = "." + target.getFileName() + ".";
    for (int attempt = 0;; attempt++) {
      String random = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path temp = directory.resolve(prefix + random + ".tmp");
      try {
        return Files.createFile(temp);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 100) {
          throw e;
        }
      }
    }
  }
}
