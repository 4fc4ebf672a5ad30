package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class KernelThreadsTest {
  @Test
  void chunksStartOnTileMultiplesAndCoverEveryColumnOnce() {
    try (KernelThreads three = KernelThreads.create(3)) {
      for (int columns : new int[] {1, 15, 16, 17, 100, 4096, 11008}) {
        for (int align : new int[] {1, 16, 96}) {
          AtomicIntegerArray seen = new AtomicIntegerArray(columns);
          List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
          three.forEachChunk(columns, align, (from, to) -> {
            chunks.add(new int[] {from, to});
            for (int c = from; c < to; c++) {
              seen.incrementAndGet(c);
            }
          });
          for (int[] chunk : chunks) {
            assertEquals(0, chunk[0] % align, columns + "/" + align + " chunk start " + chunk[0]);
            assertTrue(chunk[0] < chunk[1], "empty chunk");
          }
          assertTrue(chunks.size() <= 3);
          for (int c = 0; c < columns; c++) {
            assertEquals(1, seen.get(c), columns + "/" + align + " column " + c);
          }
        }
      }
    }
  }

  @Test
  void aWorkersFailureIsRethrownInTheCallerAfterAllChunks() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (KernelThreads two = KernelThreads.create(2)) {
      AtomicIntegerArray done = new AtomicIntegerArray(1);
      RuntimeException e = assertThrows(RuntimeException.class, () -> two.forEachChunk(64, 16, (from, to) -> {
        if (from > 0) {
          throw boom;
        }
        done.incrementAndGet(0);
      }));
      assertSame(boom, e);
      assertEquals(1, done.get(0));
    }
  }

  @Test
  void refusesBadArguments() {
    assertEquals("a kernel needs at least 1 thread, got 0",
        assertThrows(IllegalArgumentException.class, () -> KernelThreads.create(0)).getMessage());
    assertEquals("cannot split 10 columns in tiles of 0", assertThrows(IllegalArgumentException.class,
        () -> KernelThreads.single().forEachChunk(10, 0, (from, to) -> {})).getMessage());
  }
}
