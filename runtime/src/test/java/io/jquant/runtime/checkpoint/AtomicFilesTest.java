package io.jquant.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails names the file it was writing, with the system's reason, and leaves nothing behind. */
class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void aWriteErrorWithoutAFileNameGetsTheTargetsName() throws IOException {
    Path target = dir.resolve("model.safetensors");
    // What FileChannel.write throws when the disk is full: the reason alone.
    IOException full = new IOException("No space left on device");

    FileSystemException e = assertThrows(FileSystemException.class,
        () -> AtomicFiles.write(target, channel -> {
          throw full;
        }));

    assertEquals(target.toString(), e.getFile());
    assertNull(e.getOtherFile());
    assertEquals("No space left on device", e.getReason());
    assertSame(full, e.getCause());
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "no temporary file is left");
    }
  }

  @Test
  void aFileSystemExceptionKeepsItsOwnFile() {
    Path target = dir.resolve("model.safetensors");
    FileSystemException own = new FileSystemException("/elsewhere", null, "Input/output error");

    assertSame(own, assertThrows(FileSystemException.class, () -> AtomicFiles.write(target, channel -> {
      throw own;
    })));
  }
}
