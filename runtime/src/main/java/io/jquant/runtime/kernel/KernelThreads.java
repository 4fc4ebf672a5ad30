package io.jquant.runtime.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a kernel splits its output columns over, sized by the caller. A forward call cuts the columns
 * into {@link #count()} contiguous chunks (static chunking: each thread streams its own rows of the weight,
 * which is what scales on a memory-bound GEMV), runs the first in the calling thread and the others on the
 * pool's workers, and returns when all are done. Results do not depend on the thread count: every output
 * column is computed by one thread, in the same order.
 *
 * <p>One instance may serve many layers but one forward call at a time per worker; close it to stop the
 * workers. {@link #single()} runs everything in the caller and needs no closing.
 */
public final class KernelThreads implements AutoCloseable {
  private static final KernelThreads SINGLE = new KernelThreads(1, null);

  private final int count;
  private final ExecutorService workers;

  private KernelThreads(int count, ExecutorService workers) {
    this.count = count;
    this.workers = workers;
  }

  /** Everything in the calling thread. */
  public static KernelThreads single() {
    return SINGLE;
  }

  /**
   * A pool of {@code threads} threads: the caller and {@code threads - 1} daemon workers.
   *
   * @throws IllegalArgumentException unless threads is at least 1
   */
  public static KernelThreads create(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a kernel needs at least 1 thread, got " + threads);
    }
    if (threads == 1) {
      return SINGLE;
    }
    AtomicInteger index = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(threads - 1, task -> {
      Thread thread = new Thread(task, "jquant-kernel-" + index.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    return new KernelThreads(threads, workers);
  }

  /** The number of threads a forward call uses, the caller's included. */
  public int count() {
    return count;
  }

  /** Computes the columns {@code [from, to)}. */
  @FunctionalInterface
  public interface ColumnChunk {
    void compute(int from, int to);
  }

  /**
   * Splits {@code [0, columns)} into at most {@link #count()} contiguous chunks whose starts are multiples of
   * {@code align} (the kernel's column tile), runs {@code chunk} on each and waits for all. The first failure
   * is rethrown in the caller after every chunk has finished.
   */
  public void forEachChunk(int columns, int align, ColumnChunk chunk) {
    if (columns < 0 || align < 1) {
      throw new IllegalArgumentException("cannot split " + columns + " columns in tiles of " + align);
    }
    int tiles = (columns + align - 1) / align;
    int chunks = Math.min(count, tiles);
    if (chunks <= 1) {
      if (columns > 0) {
        chunk.compute(0, columns);
      }
      return;
    }
    List<Future<?>> pending = new ArrayList<>(chunks - 1);
    for (int c = 1; c < chunks; c++) {
      int from = boundary(c, chunks, tiles, align, columns);
      int to = boundary(c + 1, chunks, tiles, align, columns);
      pending.add(workers.submit(() -> chunk.compute(from, to)));
    }
    RuntimeException failure = null;
    try {
      chunk.compute(0, boundary(1, chunks, tiles, align, columns));
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> future : pending) {
      try {
        future.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for kernel threads", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static int boundary(int chunk, int chunks, int tiles, int align, int columns) {
    long tile = (long) tiles * chunk / chunks;
    return (int) Math.min(columns, tile * align);
  }

  /** Stops the workers; a closed pool must not be used again. */
  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "KernelThreads[" + count + "]";
  }
}
