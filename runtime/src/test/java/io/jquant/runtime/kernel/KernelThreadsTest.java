package io.jquant.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KernelThreadsTest {
  private record Chunk(int from, int to, Thread thread) {}

  @Test
  void chunksStartOnTileMultiplesAndCoverEveryColumnOnce() {
    for (int threads = 1; threads <= 4; threads++) {
      try (KernelThreads pool = KernelThreads.create(threads)) {
        for (int columns : new int[] { 0, 1, 2, 3, 15, 16, 17, 33, 100, 384, 1536, 4096, 11008 }) {
          for (int align : new int[] { 1, 4, 16, 96 }) {
            String where = threads + " threads, " + columns + " columns in tiles of " + align;
            AtomicIntegerArray seen = new AtomicIntegerArray(columns);
            List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
            pool.forEachChunk(columns, align, (from, to) -> {
              chunks.add(new Chunk(from, to, Thread.currentThread()));
              for (int c = from; c < to; c++) {
                seen.incrementAndGet(c);
              }
            });
            for (int c = 0; c < columns; c++) {
              assertEquals(1, seen.get(c), where + ": column " + c);
            }
            int tiles = (columns + align - 1) / align;
            assertEquals(Math.min(threads, tiles), chunks.size(), where);
            List<Chunk> ordered = new ArrayList<>(chunks);
            ordered.sort(Comparator.comparingInt(Chunk::from));
            int next = 0;
            for (Chunk chunk : ordered) {
              assertEquals(next, chunk.from(), where + ": chunks are contiguous");
              assertEquals(0, chunk.from() % align, where + ": chunk start " + chunk.from());
              assertTrue(chunk.from() < chunk.to(), where + ": empty chunk");
              // Chunk 0 runs in the caller, every other one on a worker or, if none took it yet, the caller.
              assertTrue(chunk.from() > 0 || chunk.thread() == Thread.currentThread(), where);
              assertTrue(chunk.thread() == Thread.currentThread()
                  || pool.workerThreads().contains(chunk.thread()), where + ": " + chunk.thread());
              next = chunk.to();
            }
            assertEquals(columns, next, where);
            List<Thread> onWorkers = ordered.stream().map(Chunk::thread)
                .filter(t -> t != Thread.currentThread()).toList();
            assertEquals(onWorkers.size(), onWorkers.stream().distinct().count(), where + ": 2 on a worker");
          }
        }
      }
    }
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up hangs
  void resultsDoNotDependOnTheThreadCount() {
    SplittableRandom random = new SplittableRandom(7);
    for (int[] shape : new int[][] { { 384, 384, 16 }, { 1536, 384, 7 }, { 100, 37, 3 }, { 5, 64, 2 } }) {
      int out = shape[0];
      int in = shape[1];
      int rows = shape[2];
      float[] weight = new float[out * in];
      float[] x = new float[rows * in];
      for (int i = 0; i < weight.length; i++) {
        weight[i] = (float) random.nextGaussian() * 0.05f;
      }
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) random.nextGaussian();
      }
      Fp32Linear linear = new Fp32Linear(weight, null, out, in);
      float[] one = new float[rows * out];
      linear.forward(x, one, rows, KernelThreads.single());
      for (int threads = 2; threads <= 3; threads++) {
        try (KernelThreads pool = KernelThreads.create(threads)) {
          float[] many = new float[rows * out];
          linear.forward(x, many, rows, pool);
          assertArrayEquals(one, many, out + "x" + in + " at " + rows + " rows on " + threads + " threads");
        }
      }
      try (KernelThreads idle = KernelThreads.create(3, false)) {
        float[] taken = new float[rows * out];
        linear.forward(x, taken, rows, idle);
        assertArrayEquals(one, taken, out + "x" + in + " at " + rows + " rows, every chunk in the caller");
      }
    }
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up hangs
  void theCallerRunsTheChunksNoWorkerTook() {
    // Workers that never start: the caller must take every chunk, with the same boundaries and failures.
    KernelThreads idle = KernelThreads.create(3, false);
    List<Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
    idle.forEachChunk(100, 16, (from, to) -> chunks.add(new Chunk(from, to, Thread.currentThread())));
    assertEquals(List.of(new Chunk(0, 32, Thread.currentThread()), new Chunk(32, 64, Thread.currentThread()),
        new Chunk(64, 100, Thread.currentThread())), chunks);
    IllegalStateException first = new IllegalStateException("chunk 1");
    AtomicIntegerArray done = new AtomicIntegerArray(3);
    assertSame(first,
        assertThrows(IllegalStateException.class, () -> idle.forEachChunk(96, 32, (from, to) -> {
          done.set(from / 32, 1);
          if (from > 0) {
            throw from == 32 ? first : new IllegalStateException("chunk 2");
          }
        })));
    assertEquals("[1, 1, 1]", done.toString());
    assertCoversOnce(idle, 1000, 8);
    idle.close();
    assertThrows(IllegalStateException.class, () -> idle.forEachChunk(96, 32, (from, to) -> {}));
  }

  @Test
  void aWorkersFailureIsRethrownInTheCallerAfterAllChunks() throws InterruptedException {
    IllegalStateException first = new IllegalStateException("chunk 1");
    IllegalArgumentException second = new IllegalArgumentException("chunk 2");
    try (KernelThreads three = KernelThreads.create(3)) {
      AtomicIntegerArray done = new AtomicIntegerArray(3);
      RuntimeException e = assertThrows(RuntimeException.class, () -> three.forEachChunk(96, 32, (f, t) -> {
        int c = f / 32;
        if (c == 2) {
          // Slow, so a caller that did not wait for every chunk would miss it.
          sleep(50);
          done.set(c, 1);
          throw second;
        }
        done.set(c, 1);
        if (c == 1) {
          throw first;
        }
      }));
      assertSame(first, e, "the failure of the first failing chunk in column order");
      assertEquals("[1, 1, 1]", done.toString());
      assertCoversOnce(three, 1000, 8);
    }
  }

  @Test
  void theCallersFailureWinsAndStillWaitsForTheWorkers() {
    StackOverflowError error = new StackOverflowError("caller");
    try (KernelThreads two = KernelThreads.create(2)) {
      AtomicIntegerArray done = new AtomicIntegerArray(2);
      Error e = assertThrows(Error.class, () -> two.forEachChunk(64, 16, (from, to) -> {
        if (from == 0) {
          throw error;
        }
        sleep(50);
        done.set(1, 1);
        throw new IllegalStateException("worker");
      }));
      assertSame(error, e);
      assertEquals(1, done.get(1));
      // A worker's Error reaches the caller as it is, and the worker survives it.
      OutOfMemoryError oom = new OutOfMemoryError("worker");
      assertSame(oom, assertThrows(OutOfMemoryError.class, () -> two.forEachChunk(64, 16, (from, to) -> {
        if (from > 0) {
          throw oom;
        }
      })));
      assertCoversOnce(two, 64, 16);
    }
  }

  @Test
  void closeStopsTheWorkersAndLaterCallsAreRefused() throws InterruptedException {
    for (boolean idleFirst : new boolean[] { false, true }) {
      KernelThreads pool = KernelThreads.create(3);
      List<Thread> workers = pool.workerThreads();
      assertEquals(2, workers.size());
      assertCoversOnce(pool, 100, 4);
      if (idleFirst) {
        // Past the spin, so close() has to wake parked workers.
        awaitState(workers, Thread.State.WAITING);
      }
      pool.close();
      for (Thread worker : workers) {
        worker.join(10_000);
        assertFalse(worker.isAlive(), worker.getName() + " still alive after close()");
      }
      assertEquals("KernelThreads[3] is closed", assertThrows(IllegalStateException.class,
          () -> pool.forEachChunk(100, 4, (from, to) -> {})).getMessage());
      assertEquals("KernelThreads[3] is closed", assertThrows(IllegalStateException.class,
          () -> pool.forEachChunk(1, 4, (from, to) -> {})).getMessage());
      pool.close();
    }
    KernelThreads.single().close();
    assertCoversOnce(KernelThreads.single(), 10, 1);
  }

  @Test
  void closeDuringACallLetsItFinishThenStopsTheWorkers() throws InterruptedException {
    KernelThreads pool = KernelThreads.create(2);
    List<Thread> workers = pool.workerThreads();
    AtomicIntegerArray seen = new AtomicIntegerArray(2);
    pool.forEachChunk(2, 1, (from, to) -> {
      if (from == 0) {
        pool.close();
      } else {
        sleep(20);
      }
      seen.set(from, 1);
    });
    assertEquals("[1, 1]", seen.toString());
    workers.getFirst().join(10_000);
    assertFalse(workers.getFirst().isAlive());
    assertThrows(IllegalStateException.class, () -> pool.forEachChunk(2, 1, (from, to) -> {}));
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up hangs
  void tenThousandBackToBackCallsLoseNoWakeUp() throws InterruptedException {
    try (KernelThreads three = KernelThreads.create(3)) {
      int columns = 48;
      AtomicIntegerArray seen = new AtomicIntegerArray(columns);
      for (int call = 0; call < 10_000; call++) {
        if (call % 500 == 0) {
          // Long enough for the workers (and later the caller) to park: the wake-up path is exercised too.
          Thread.sleep(2);
        }
        boolean slowWorker = call % 1000 == 1;
        three.forEachChunk(columns, 16, (from, to) -> {
          if (slowWorker && from > 0) {
            sleep(2);
          }
          for (int c = from; c < to; c++) {
            seen.incrementAndGet(c);
          }
        });
      }
      for (int c = 0; c < columns; c++) {
        assertEquals(10_000, seen.get(c), "column " + c);
      }
    }
  }

  @Test
  void aSecondCallWhileOneRunsIsRefused() throws InterruptedException {
    try (KernelThreads two = KernelThreads.create(2)) {
      IllegalStateException nested = assertThrows(IllegalStateException.class,
          () -> two.forEachChunk(32, 16, (from, to) -> {
            if (from == 0) {
              two.forEachChunk(32, 16, (f, t) -> {});
            }
          }));
      assertEquals("KernelThreads[2] is already running a forward call; use one pool per calling thread, and "
          + "none inside a chunk", nested.getMessage());
      // From another thread, while the first call waits for its worker.
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread first = Thread.ofPlatform().start(() -> two.forEachChunk(32, 16, (from, to) -> {
        if (from > 0) {
          started.countDown();
          await(release);
        }
      }));
      started.await();
      assertThrows(IllegalStateException.class, () -> two.forEachChunk(32, 16, (from, to) -> {}));
      release.countDown();
      first.join(10_000);
      assertFalse(first.isAlive());
      assertCoversOnce(two, 32, 16);
    }
  }

  @Test
  void interruptsNeitherCutAWaitShortNorGetLost() throws InterruptedException {
    try (KernelThreads two = KernelThreads.create(2)) {
      AtomicIntegerArray seen = new AtomicIntegerArray(2);
      Thread.currentThread().interrupt();
      two.forEachChunk(2, 1, (from, to) -> {
        if (from > 0) {
          sleepUninterruptibly(30);
          // A chunk that interrupts its worker must not leave the worker spinning in park.
          Thread.currentThread().interrupt();
        }
        seen.set(from, 1);
      });
      assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
      assertEquals("[1, 1]", seen.toString());
      awaitState(two.workerThreads(), Thread.State.WAITING);
      assertCoversOnce(two, 2, 1);
    }
  }

  @Test
  void refusesBadArguments() {
    assertEquals("a kernel needs at least 1 thread, got 0",
        assertThrows(IllegalArgumentException.class, () -> KernelThreads.create(0)).getMessage());
    assertEquals("cannot split 10 columns in tiles of 0", assertThrows(IllegalArgumentException.class,
        () -> KernelThreads.single().forEachChunk(10, 0, (from, to) -> {})).getMessage());
    assertEquals("cannot split -1 columns in tiles of 1", assertThrows(IllegalArgumentException.class,
        () -> KernelThreads.single().forEachChunk(-1, 1, (from, to) -> {})).getMessage());
    assertSame(KernelThreads.single(), KernelThreads.create(1));
    try (KernelThreads two = KernelThreads.create(2)) {
      assertNotSame(KernelThreads.single(), two);
      assertEquals(2, two.count());
    }
  }

  private static void assertCoversOnce(KernelThreads pool, int columns, int align) {
    AtomicIntegerArray seen = new AtomicIntegerArray(columns);
    pool.forEachChunk(columns, align, (from, to) -> {
      for (int c = from; c < to; c++) {
        seen.incrementAndGet(c);
      }
    });
    for (int c = 0; c < columns; c++) {
      assertEquals(1, seen.get(c), "column " + c);
    }
  }

  /** Polls (up to 10 s) until every thread is in {@code state}: a state check, not a timing one. */
  private static void awaitState(List<Thread> threads, Thread.State state) throws InterruptedException {
    for (Thread thread : threads) {
      for (int i = 0; i < 1000 && thread.getState() != state; i++) {
        Thread.sleep(10);
      }
      assertEquals(state, thread.getState(), thread.getName());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleepUninterruptibly(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
